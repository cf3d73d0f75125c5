// domfleet on the folders operators really point it at: libvirt's own layout (autostart/ links,
// networks/), special files behind *.xml names, unreadable folders, hard links, odd file names,
// and several runs rewriting the same files at once. Every command runs under a timeout: a hang
// is a failure, not a stuck CI job.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync,
  statSync, symlinkSync, truncateSync, writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { BIN, EXAMPLES, scratch } from './helpers/run.mjs';

const TIMEOUT_MS = 60_000;
const isRoot = process.getuid() === 0;

/** Runs the CLI with a timeout (a hang fails the test) and its own cache folder. */
function df(args, { input, env = {}, cwd, dropDac = false } = {}) {
  const cmd = dropDac && isRoot ? 'setpriv' : BIN;
  // As root, permission bits are not enforced; without these capabilities they are.
  const argv = dropDac && isRoot ? ['--bounding-set', '-dac_override,-dac_read_search', '--inh-caps', '-dac_override,-dac_read_search', BIN, ...args] : args;
  const r = spawnSync(cmd, argv, {
    cwd, input, encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, XDG_CACHE_HOME: scratch('cache-'), ...env },
  });
  assert.equal(r.signal, null, `domfleet ${args.join(' ')} was killed after ${TIMEOUT_MS} ms (a hang)\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at .*\(.*:\d+:\d+\)$/m, 'no stack trace');
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const exampleFiles = () => ['host-a', 'host-b', 'host-c'].flatMap((h) => readdirSync(join(EXAMPLES, h)).map((f) => join(EXAMPLES, h, f)));

/**
 * A folder shaped like /etc/libvirt/qemu: the 15 example domains, autostart/ links to three of
 * them, networks/ with its own autostart/ link, and special files behind *.xml names.
 */
function libvirtTree({ specials = true } = {}) {
  const root = scratch('qemu-');
  const qemu = join(root, 'qemu');
  mkdirSync(join(qemu, 'autostart'), { recursive: true });
  mkdirSync(join(qemu, 'networks', 'autostart'), { recursive: true });
  const names = [];
  for (const f of exampleFiles()) {
    const name = f.split('/').pop();
    copyFileSync(f, join(qemu, name));
    names.push(name);
  }
  for (const name of names.slice(0, 3)) symlinkSync(`../${name}`, join(qemu, 'autostart', name));
  writeFileSync(join(qemu, 'networks', 'default.xml'), "<network>\n  <name>default</name>\n  <bridge name='virbr0'/>\n</network>\n");
  writeFileSync(join(qemu, 'networks', 'isolated.xml'), '<network>\n  <name>isolated</name>\n</network>\n');
  writeFileSync(join(qemu, 'networks', 'pool.xml'), "<pool type='dir'>\n  <name>images</name>\n</pool>\n");
  symlinkSync('../default.xml', join(qemu, 'networks', 'autostart', 'default.xml'));
  if (specials) {
    spawnSync('mkfifo', [join(root, 'a-fifo')]);
    symlinkSync(join(root, 'a-fifo'), join(qemu, 'fifo.xml'));
    symlinkSync('/dev/zero', join(qemu, 'zero.xml'));
    mkdirSync(join(root, 'a-folder'));
    symlinkSync(join(root, 'a-folder'), join(qemu, 'folder.xml'));
  }
  return { root, qemu, names, autostarted: names.slice(0, 3) };
}

describe('real hosts: libvirt folder layout', function () {
  this.timeout(180_000);

  it('query counts each domain once: autostart/ links are the same files', () => {
    const { qemu, names } = libvirtTree({ specials: false });
    const r = df(['query', '--format', 'json', '/domain/name', qemu]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.equal(rows.length, names.length, 'one row per domain file');
    assert.equal(new Set(rows.map((x) => x.value)).size, names.length);
    assert.ok(rows.every((x) => !x.file.includes('/autostart/')), 'the regular file wins over the link');
    assert.ok(rows.every((x) => x.host === ''), 'no host label "autostart"');
  });

  it('the first path given wins, and gives the host label', () => {
    const { qemu, autostarted } = libvirtTree({ specials: false });
    const r = df(['query', '--format', 'json', '/domain/name', join(qemu, 'autostart'), qemu]);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout);
    const viaLink = rows.filter((x) => x.file.includes('/autostart/'));
    assert.equal(viaLink.length, autostarted.length);
    assert.equal(rows.length, 15);
  });

  it('a glob over the tree lists each domain once too, by its regular file, and --in-place rewrites them all', () => {
    const { qemu, names, autostarted } = libvirtTree({ specials: false });
    const pattern = `${qemu}/**/*.xml`;
    const rows = JSON.parse(df(['query', '--format', 'json', '/domain/name', pattern]).stdout);
    assert.equal(rows.length, names.length);
    assert.ok(rows.every((x) => !x.file.includes('/autostart/')), 'the regular file wins over the link, as in a folder');
    const r = df(['migrate', '--to', 'modern', '--in-place', pattern]);
    assert.equal(r.code, 0, r.stderr);
    for (const n of autostarted) assert.ok(lstatSync(join(qemu, 'autostart', n)).isSymbolicLink());
    assert.equal(df(['migrate', '--to', 'modern', '--check', qemu]).code, 0, 'every domain migrated');
  });

  it('non-domain folders are one summary line each, not one notice per file', () => {
    const { qemu } = libvirtTree({ specials: false });
    const r = df(['query', '/domain/name', qemu]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^skipped 3 non-domain files under .*\/networks\/ \(root elements <network>, <pool>\)$/);
  });

  it('report has no false findings from autostart links', () => {
    const { qemu } = libvirtTree({ specials: false });
    const withLinks = JSON.parse(df(['report', '--format', 'json', '-o', '-', qemu]).stdout);
    const plain = scratch('plain-');
    for (const f of exampleFiles()) copyFileSync(f, join(plain, f.split('/').pop()));
    const without = JSON.parse(df(['report', '--format', 'json', '-o', '-', plain]).stdout);
    assert.equal(withLinks.domains.length, 15);
    // The same findings, once the folders' own paths are taken out of them.
    const located = (findings, dir) => findings.map((f) => ({ ...f, file: basename(f.file), message: f.message.replaceAll(`${dir}/`, '') }));
    assert.deepEqual(located(withLinks.findings, qemu), located(without.findings, plain));
    assert.ok(withLinks.findings.length > 10, 'there are findings to compare');
    assert.ok(!withLinks.findings.some((f) => f.rule === 'duplicate-uuid' || f.rule === 'duplicate-name'), JSON.stringify(withLinks.findings));
  });

  it('special files behind *.xml names get one line each, are never opened, and the run goes on', () => {
    const { qemu, names } = libvirtTree();
    for (const args of [['query', '/domain/name'], ['normalize', '--check'], ['report', '--format', 'json', '-o', '-'], ['migrate', '--to', 'modern', '--check'], ['transform', 'add-tablet', '--check']]) {
      const r = df([...args, qemu]);
      assert.equal(r.code, 2, `${args[0]}: exit 2 for the special files\n${r.stderr}`);
      for (const name of ['fifo.xml', 'zero.xml', 'folder.xml']) {
        const lines = r.stderr.split('\n').filter((l) => l.includes(name));
        assert.equal(lines.length, 1, `${args[0]}: one line for ${name}\n${r.stderr}`);
        assert.match(lines[0], /not read: symbolic link to a (FIFO|character device|directory), not a regular file/);
      }
    }
    const q = df(['query', '--format', 'json', '/domain/name', qemu]);
    assert.equal(JSON.parse(q.stdout).length, names.length, 'every domain still answered');
  });

  it('a FIFO, a socket-free special file or /dev/zero named directly is refused without hanging', () => {
    const { root } = libvirtTree({ specials: true });
    const direct = join(root, 'direct.xml');
    spawnSync('mkfifo', [direct]);
    for (const input of [direct, '/dev/zero', join(root, 'qemu', 'fifo.xml')]) {
      const r = df(['query', '/domain/name', input]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /not read: (symbolic link to )?a (FIFO|character device), not a regular file/);
    }
  });

  it('--in-place keeps autostart links as links and rewrites their targets', () => {
    const { qemu, autostarted } = libvirtTree({ specials: false });
    // Only the links: their targets lie inside the inputs (the qemu folder is given too).
    const before = Object.fromEntries(autostarted.map((n) => [n, readFileSync(join(qemu, n), 'utf8')]));
    const r = df(['migrate', '--to', 'modern', '--in-place', join(qemu, 'autostart'), qemu]);
    assert.notEqual(r.code, 2, r.stderr);
    for (const n of autostarted) {
      const link = join(qemu, 'autostart', n);
      assert.ok(lstatSync(link).isSymbolicLink(), `${n}: still a symlink`);
      assert.equal(readlinkSync(link), `../${n}`);
    }
    const changed = autostarted.filter((n) => readFileSync(join(qemu, n), 'utf8') !== before[n]);
    assert.ok(changed.length > 0, 'at least one autostarted example needs migrating, and was rewritten through its link');
    const check = df(['migrate', '--to', 'modern', '--check', qemu]);
    assert.equal(check.code, 0, `nothing left to migrate\n${check.stdout}${check.stderr}`);
  });

  it('a link whose target lies outside the inputs is left alone with a notice unless --follow-symlinks', () => {
    const root = scratch('outside-');
    mkdirSync(join(root, 'defs'));
    mkdirSync(join(root, 'elsewhere'));
    const target = join(root, 'elsewhere', 'vm.xml');
    copyFileSync(join(EXAMPLES, 'host-a', 'qemu-legacy-lab.xml'), target);
    symlinkSync(target, join(root, 'defs', 'vm.xml'));
    const before = readFileSync(target, 'utf8');
    const r = df(['normalize', '--in-place', join(root, 'defs')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /vm\.xml: not rewritten: symbolic link to .*elsewhere\/vm\.xml, outside the inputs \(--follow-symlinks/);
    assert.equal(readFileSync(target, 'utf8'), before);
    const f = df(['normalize', '--in-place', '--follow-symlinks', join(root, 'defs')]);
    assert.equal(f.code, 0, f.stderr);
    assert.ok(lstatSync(join(root, 'defs', 'vm.xml')).isSymbolicLink());
    assert.notEqual(readFileSync(target, 'utf8'), before);
    // A link named on the command line is an explicit request: its target is rewritten.
    copyFileSync(join(EXAMPLES, 'host-a', 'qemu-legacy-lab.xml'), target);
    const named = df(['normalize', '--in-place', join(root, 'defs', 'vm.xml')]);
    assert.equal(named.code, 0, named.stderr);
    assert.ok(lstatSync(join(root, 'defs', 'vm.xml')).isSymbolicLink());
    assert.notEqual(readFileSync(target, 'utf8'), before);
  });

  it('hard links are not split: the file is left alone with a notice, exit 1', () => {
    const dir = scratch('hardlink-');
    const a = join(dir, 'vm.xml');
    copyFileSync(join(EXAMPLES, 'host-a', 'qemu-legacy-lab.xml'), a);
    linkSync(a, join(dir, 'vm.xml.orig'));
    const before = readFileSync(a, 'utf8');
    const r = df(['normalize', '--in-place', dir]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /vm\.xml: not rewritten: it has 2 hard links/);
    assert.equal(readFileSync(a, 'utf8'), before);
    assert.equal(statSync(a).ino, statSync(join(dir, 'vm.xml.orig')).ino);
  });

  it('every mode bit, the owner and the group are kept', function () {
    const dir = scratch('modes-');
    const files = { 'suid.xml': 0o4750, 'sgid.xml': 0o2640, 'sticky.xml': 0o1600, 'plain.xml': 0o640 };
    for (const [name, mode] of Object.entries(files)) {
      const p = join(dir, name);
      copyFileSync(join(EXAMPLES, 'host-a', 'qemu-legacy-lab.xml'), p);
      if (isRoot) chownSync(p, 65534, 65534);
      chmodSync(p, mode);
    }
    const r = df(['normalize', '--in-place', dir]);
    assert.equal(r.code, 0, r.stderr);
    for (const [name, mode] of Object.entries(files)) {
      const st = statSync(join(dir, name));
      assert.notEqual(readFileSync(join(dir, name), 'utf8'), readFileSync(join(EXAMPLES, 'host-a', 'qemu-legacy-lab.xml'), 'utf8'), `${name} was rewritten`);
      assert.equal((st.mode & 0o7777).toString(8), mode.toString(8), `${name}: mode`);
      if (isRoot) assert.deepEqual([st.uid, st.gid], [65534, 65534], `${name}: owner and group`);
    }
    if (!isRoot) this.test.title += ' (owner change not tried: not root)';
  });

  it('an unreadable subfolder is reported and every file after it is still processed', () => {
    const dir = scratch('unreadable-');
    chmodSync(dir, 0o755);
    for (const [sub, file] of [['a', 'host-a/xen-pv-db.xml'], ['b-locked', 'host-b/kvm-db01.xml'], ['c', 'host-c/kvm-router.xml'], ['d', 'host-c/kvm-uefi.xml']]) {
      mkdirSync(join(dir, sub));
      copyFileSync(join(EXAMPLES, file), join(dir, sub, 'vm.xml'));
    }
    chmodSync(join(dir, 'b-locked'), 0o000);
    try {
      const r = df(['query', '--no-cache', '--format', 'json', '/domain/name', dir], { dropDac: true });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /b-locked: cannot read folder: permission denied/);
      const hosts = JSON.parse(r.stdout).map((x) => x.host);
      assert.deepEqual(hosts, ['a', 'c', 'd']);
    } finally {
      chmodSync(join(dir, 'b-locked'), 0o755);
    }
  });

  it('a file larger than --max-file-size is refused as too large, not malformed', () => {
    const dir = scratch('large-');
    const huge = join(dir, 'huge.xml');
    // Sparse: 200 MiB by its size, nothing on disk. Refused before a byte is read.
    writeFileSync(huge, '');
    truncateSync(huge, 200 * 1024 * 1024);
    const big = join(dir, 'big.xml');
    const doc = readFileSync(join(EXAMPLES, 'host-b', 'kvm-db01.xml'), 'utf8').replace('</domain>', `<description>${'x'.repeat(2 * 1024 * 1024)}</description>\n</domain>`);
    writeFileSync(big, doc);
    copyFileSync(join(EXAMPLES, 'host-b', 'kvm-web01.xml'), join(dir, 'small.xml'));
    const r = df(['query', '--no-cache', '/domain/name', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /huge\.xml: too large: 200 MiB \(--max-file-size is 10 MiB\)/);
    assert.doesNotMatch(r.stderr, /big\.xml|small\.xml/);
    assert.match(r.stdout, /small\.xml\tweb01/);
    const limited = df(['normalize', '--check', '--max-file-size', '1MiB', big, join(dir, 'small.xml')]);
    assert.equal(limited.code, 2);
    assert.match(limited.stderr, /big\.xml: too large: 2\.0 MiB \(--max-file-size is 1 MiB\)/);
    assert.equal(df(['query', '--max-file-size', 'lots', '/domain/name', dir]).code, 2);
  });

  it('file names with newlines, tabs and escape characters are printed escaped', () => {
    const dir = scratch('names-');
    const odd = 'evil\n-etc-passwd\tvalue\x1b[31m.xml';
    copyFileSync(join(EXAMPLES, 'host-b', 'kvm-web01.xml'), join(dir, odd));
    writeFileSync(join(dir, 'bad\x1b]0;owned\x07.xml'), '<domain><name>x</name>');
    const r = df(['query', '--no-cache', '/domain/name', dir]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1, 'one result, one line');
    assert.ok(r.stdout.includes('evil\\n-etc-passwd\\tvalue\\x1b[31m.xml\tweb01'), r.stdout);
    assert.doesNotMatch(r.stderr + r.stdout, /[\x07\x1b]/, 'no raw control characters');
    assert.match(r.stderr, /bad\\x1b\]0;owned\\x07\.xml:\d+: /);
    const l = df(['query', '--no-cache', '-l', '/domain/name', dir]);
    assert.equal(l.stdout.split('\n').filter(Boolean).length, 1);
  });
});

describe('real hosts: concurrent runs and crashes', function () {
  this.timeout(240_000);

  function fleet(n) {
    const dir = scratch('concurrent-');
    const base = readFileSync(join(EXAMPLES, 'host-b', 'kvm-db01.xml'), 'utf8');
    for (let i = 0; i < n; i++) {
      writeFileSync(join(dir, `vm${String(i).padStart(3, '0')}.xml`), base.replace(/<name>[^<]*<\/name>/, `<name>vm${i}</name>`).replace(/<uuid>[^<]*<\/uuid>/, ''));
    }
    assert.equal(df(['normalize', '--in-place', dir]).code, 0);
    return dir;
  }

  function runAsync(args) {
    return new Promise((resolve) => {
      const child = spawn(BIN, args, { env: { ...process.env, XDG_CACHE_HOME: scratch('cache-') } });
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
      child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stderr }); });
    });
  }

  it('two different transforms --in-place over the same files at once: both edits in every file', async () => {
    const dir = fleet(80);
    const [a, b] = await Promise.all([
      runAsync(['transform', 'add-tablet', '--in-place', '-j', '0', dir]),
      runAsync(['transform', 'add-channel', '-p', 'kind=guest-agent', '--in-place', '-j', '0', dir]),
    ]);
    assert.equal(a.signal, null);
    assert.equal(b.signal, null);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const files = readdirSync(dir);
    assert.deepEqual(files.filter((f) => !f.endsWith('.xml')), [], 'no temporary or lock file left');
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      assert.match(text, /<input type='tablet' bus='usb'\/>/, `${f}: tablet`);
      assert.match(text, /org\.qemu\.guest_agent\.0/, `${f}: guest agent channel`);
    }
  });

  it('a file changed by someone else after it was read is redone, never overwritten', async () => {
    // The library's own check: replaceFile refuses to write over content it did not read.
    const { replaceFile, contentHash } = await import('../dist/core/write/write.js');
    const dir = scratch('cas-');
    const p = join(dir, 'vm.xml');
    writeFileSync(p, 'original');
    const readHash = contentHash(readFileSync(p));
    writeFileSync(p, 'edited by someone else');
    assert.equal(replaceFile(p, 'ours', { expectedHash: readHash }), 'changed');
    assert.equal(readFileSync(p, 'utf8'), 'edited by someone else');
    assert.equal(replaceFile(join(dir, 'gone.xml'), 'ours', { expectedHash: readHash }), 'vanished');
    assert.ok(!existsSync(join(dir, 'gone.xml')), 'a vanished file is not recreated');
    assert.equal(replaceFile(p, 'ours', { expectedHash: contentHash('edited by someone else') }), 'written');
    assert.equal(readFileSync(p, 'utf8'), 'ours');
  });

  it('temporary and lock files of a killed run are removed by the next run', () => {
    const dir = fleet(3);
    let dead = 30000;
    while (dead > 2) {
      try { process.kill(dead, 0); dead--; } catch (e) { if (e.code === 'ESRCH') break; dead--; }
    }
    writeFileSync(join(dir, `.vm000.xml.${dead}.0badc0de.domfleet-tmp`), '<domain');
    writeFileSync(join(dir, '.vm001.xml.domfleet-lock'), `${dead}\n`);
    writeFileSync(join(dir, `.vm002.xml.${process.pid}.0badc0de.domfleet-tmp`), 'a live process: kept');
    const q = df(['query', '/domain/name', dir]);
    assert.equal(q.stdout.split('\n').filter(Boolean).length, 3, 'temporary files are never read as domains');
    const r = df(['transform', 'add-tablet', '--in-place', dir]);
    assert.equal(r.code, 0, r.stderr);
    const left = readdirSync(dir).filter((f) => f.startsWith('.'));
    assert.deepEqual(left, [`.vm002.xml.${process.pid}.0badc0de.domfleet-tmp`]);
  });

  it('killed at random moments, --in-place leaves every file whole (old or new), and the next run cleans up', async function () {
    const dir = fleet(150);
    const original = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
    const args = ['transform', 'add-tablet', '--in-place', '-j', '0', dir];
    const env = { ...process.env, XDG_CACHE_HOME: scratch('cache-') };
    // How long a whole run takes here; the kills are spread over its second half and more,
    // where the files are being written.
    const started = Date.now();
    await new Promise((r) => spawn(BIN, args, { env }).on('exit', r));
    const whole = Date.now() - started;
    for (const [f, text] of Object.entries(original)) writeFileSync(join(dir, f), text);
    const kills = 12;
    const tempsLeft = new Set();
    let midRun = 0;
    for (let k = 0; k < kills; k++) {
      const child = spawn(BIN, args, { env });
      // Listened for at once: a run may end before its kill comes.
      const exited = new Promise((r) => child.on('exit', r));
      await new Promise((r) => setTimeout(r, whole * (0.35 + (0.65 * k) / kills)));
      child.kill('SIGKILL');
      await exited;
      let rewritten = 0;
      for (const f of readdirSync(dir)) {
        if (!f.endsWith('.xml')) { tempsLeft.add(f); continue; }
        if (readFileSync(join(dir, f), 'utf8') !== original[f]) rewritten++;
        const text = readFileSync(join(dir, f), 'utf8');
        const withTablet = text.includes("<input type='tablet' bus='usb'/>");
        assert.ok(text === original[f] || withTablet, `${f}: old or new content, never a mix`);
        assert.equal(spawnSync('xmllint', ['--noout', join(dir, f)]).status, 0, `${f} is well-formed`);
      }
      if (rewritten > 0 && rewritten < Object.keys(original).length) midRun++;
      // Put the fleet back so every kill lands on work to do.
      for (const [f, text] of Object.entries(original)) writeFileSync(join(dir, f), text);
    }
    const r = df(['transform', 'add-tablet', '--in-place', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).filter((f) => !f.endsWith('.xml')), [], 'nothing left behind after the next run');
    assert.ok(midRun > 0, 'no kill landed while files were being written: the test proved nothing');
    this.test.title += ` (${kills} kills, ${midRun} in the middle of writing, ${tempsLeft.size} temporary/lock files left by them, all removed)`;
  });
});

describe('bounded work per file: one pathological file never costs the good ones', function () {
  this.timeout(300_000);

  /** Peak RSS (KiB) and the result of a run, through /usr/bin/time (Debian package time). */
  function measured(args) {
    const stats = join(scratch(), 'time');
    const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', stats, BIN, ...args], {
      encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', env: { ...process.env, XDG_CACHE_HOME: scratch('cache-') },
    });
    assert.ok(existsSync(stats), '/usr/bin/time is needed (Debian package time; .ci/run installs it)');
    assert.equal(r.signal, null, `killed after 120 s: ${r.stderr}`);
    return { code: r.status, stderr: r.stderr, rssMiB: Number(readFileSync(stats, 'utf8').trim().split('\n').pop()) / 1024 };
  }

  function interfaces(n) {
    return `<domain type='kvm'><name>many-${n}</name><memory>1048576</memory><os><type>hvm</type></os><devices>\n`
      + "<interface type='user'><model type='virtio'/></interface>\n".repeat(n) + '</devices></domain>\n';
  }

  it('a million <interface>s (59 MB) and 60,000 of them (3.5 MB) beside 20 good files: the 20 are written, each bad one gets a line', function () {
    const dir = scratch();
    const examples = exampleFiles();
    const good = Array.from({ length: 20 }, (_, i) => examples[i % examples.length]);
    good.forEach((f, i) => copyFileSync(f, join(dir, `good-${String(i).padStart(2, '0')}.xml`)));
    writeFileSync(join(dir, 'million.xml'), interfaces(1_000_000));
    writeFileSync(join(dir, 'sixty-thousand.xml'), interfaces(60_000));
    const out = scratch();
    const r = measured(['normalize', '--no-cache', '-o', out, dir]);
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(r.stderr, /million\.xml: too large: 5\d\.\d MiB \(--max-file-size is 10 MiB\)/);
    assert.match(r.stderr, /sixty-thousand\.xml: 120,006 elements, more than the 20,000 domfleet runs its rules and XPath 3.1 on/);
    assert.deepEqual(readdirSync(out).sort(), good.map((_, i) => `good-${String(i).padStart(2, '0')}.xml`));
    // Each file's work is bounded: far from the gigabytes one such file used to take.
    assert.ok(r.rssMiB < 600, `peak RSS ${r.rssMiB.toFixed(0)} MiB`);
    this.test.title += ` (peak RSS ${r.rssMiB.toFixed(0)} MiB)`;
  });

  it('files just under the element limit, several together, are all written without exhausting a worker', function () {
    const dir = scratch();
    const examples = exampleFiles();
    examples.forEach((f, i) => copyFileSync(f, join(dir, `good-${String(i).padStart(2, '0')}.xml`)));
    // 9,990 NICs: 19,986 elements, just under the limit; six of them would once share one batch
    // and drive a worker's capped heap into endless garbage collection.
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `big-${i}.xml`), interfaces(9_990));
    const out = scratch();
    const r = measured(['normalize', '--no-cache', '-o', out, dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(out).length, examples.length + 6);
    assert.ok(r.rssMiB < 600, `peak RSS ${r.rssMiB.toFixed(0)} MiB`);
    this.test.title += ` (peak RSS ${r.rssMiB.toFixed(0)} MiB)`;
  });

  it('--max-file-size lets a big file through, and the element limit still bounds the rules', () => {
    const file = join(scratch(), 'million.xml');
    writeFileSync(file, interfaces(1_000_000));
    const r = measured(['normalize', '--check', '--max-file-size', '100MiB', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /million\.xml: 2,000,006 elements, more than the 20,000/);
    assert.ok(r.rssMiB < 1024, `peak RSS ${r.rssMiB.toFixed(0)} MiB`);
  });
});
