// `domfleet query` as a user runs it: exit codes, output formats read back by real parsers,
// counting and listing, parameters, inputs from globs and stdin, host labels, the cache.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { domfleet, run, scratch, EXAMPLES, hasCommand } from './helpers/run.mjs';

const FLEET_FILES = 15;

describe('query command line', () => {
  it('exit 0 when something matched, 1 when nothing did, 2 on a usage error', () => {
    assert.equal(domfleet(['query', '//interface', EXAMPLES]).code, 0);
    assert.equal(domfleet(['query', "//interface[@type='no-such-type']", EXAMPLES]).code, 1);
    const bad = domfleet(['query', '//interface[', EXAMPLES]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^domfleet: invalid XPath/);
    assert.equal(domfleet(['query', '--format', 'yaml', '//x', EXAMPLES]).code, 2);
    assert.equal(domfleet(['query', '--bogus', '//x', EXAMPLES]).code, 2);
    assert.equal(domfleet(['query']).code, 2);
    assert.equal(domfleet(['frobnicate']).code, 2);
  });

  it('--help, command --help with examples, --version', () => {
    const help = domfleet(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /query/);
    const qh = domfleet(['query', '--help']);
    assert.equal(qh.code, 0);
    assert.match(qh.stdout, /Examples:\n {2}domfleet query/);
    const v = domfleet(['--version']);
    assert.equal(v.stdout.trim(), JSON.parse(readFileSync(new URL('../package.json', import.meta.url))).version);
  });

  it('the launcher starts node without NODE_EXTRA_CA_CERTS (node itself would read, and here warn)', () => {
    // Node reads the bundle at start-up and warns when it cannot: the warning shows it was read.
    const env = { NODE_EXTRA_CA_CERTS: join(scratch(), 'no-such-bundle.pem') };
    const direct = run(process.execPath, [join(EXAMPLES, '..', '..', 'bin', 'domfleet'), '--version'], { env: { ...process.env, ...env } });
    assert.match(direct.stderr, /extra certs/, 'node read the variable, as the launcher exists to avoid');
    const launched = domfleet(['--version'], { env });
    assert.equal(launched.code, 0);
    assert.equal(launched.stderr, '');
  });

  it('text format: FILE<TAB>VALUE per item; --no-filename drops the file', () => {
    const r = domfleet(['query', '/domain/name', join(EXAMPLES, 'host-b', 'kvm-db01.xml')]);
    assert.equal(r.stdout, `${join(EXAMPLES, 'host-b', 'kvm-db01.xml')}\tdb01\n`);
    const n = domfleet(['query', '--no-filename', '/domain/name', join(EXAMPLES, 'host-b', 'kvm-db01.xml')]);
    assert.equal(n.stdout, 'db01\n');
  });

  it('json and ndjson: objects with host, file, domain, line (nodes) and value', () => {
    const j = domfleet(['query', '--format', 'json', '//mac/@address', EXAMPLES]);
    const rows = JSON.parse(j.stdout);
    assert.ok(rows.length >= 20);
    for (const r of rows) {
      assert.deepEqual(Object.keys(r), ['host', 'file', 'domain', 'line', 'value']);
      assert.match(r.host, /^host-[abc]$/);
      assert.match(r.value, /^[0-9a-fA-F:]{17}$/);
    }
    const nd = domfleet(['query', '--format', 'ndjson', 'count(//disk)', EXAMPLES]);
    const lines = nd.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, FLEET_FILES);
    assert.ok(lines.every((l) => !('line' in l) && /^\d+$/.test(l.value)));
    assert.equal(domfleet(['query', '--format', 'json', '//nothing', EXAMPLES]).stdout, '[]\n');
  });

  it('a map item becomes columns: TSV and CSV with a header row, read back by a CSV parser', () => {
    const csv = domfleet(['query', '--format', 'csv', 'bridged-nics', EXAMPLES]);
    const records = parseCsv(csv.stdout, { columns: true });
    assert.deepEqual(Object.keys(records[0]), ['host', 'file', 'domain', 'line', 'mac', 'bridge']);
    const web01 = records.find((r) => r.domain === 'web01');
    assert.equal(web01.mac, '52:54:00:1a:2b:01');
    assert.equal(web01.bridge, 'br0');
    assert.equal(web01.host, 'host-b');
    const pv = records.find((r) => r.domain === 'pv-web');
    assert.equal(pv.mac, '00:16:3e:5d:c7:9e', 'MACs are lower-cased');
    const tsv = domfleet(['query', '--format', 'tsv', 'bridged-nics', EXAMPLES]);
    const tsvRows = parseCsv(tsv.stdout, { columns: true, delimiter: '\t', quote: false });
    assert.deepEqual(tsvRows, records);
  });

  it('CSV quotes and TSV escapes values with separators, quotes and newlines', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'odd.xml'), '<domain><name>a,b "c"\tx\ny</name></domain>');
    const csv = parseCsv(domfleet(['query', '--format', 'csv', '/domain/name', dir]).stdout, { columns: true });
    assert.equal(csv[0].value, 'a,b "c"\tx\ny');
    const tsv = domfleet(['query', '--format', 'tsv', '/domain/name', dir]).stdout.split('\n');
    assert.equal(tsv[1].split('\t').at(-1), 'a,b "c"\\tx\\ny');
  });

  it('xml format is well-formed (xmllint) and carries the matched nodes', function () {
    if (!hasCommand('xmllint')) throw new Error('xmllint is not installed (.ci/run installs it)');
    const dir = scratch();
    const r = domfleet(['query', '--format', 'xml', '//interface[@type="bridge"]', EXAMPLES]);
    writeFileSync(join(dir, 'out.xml'), r.stdout);
    assert.equal(run('xmllint', ['--noout', join(dir, 'out.xml')]).code, 0);
    const count = run('xmllint', ['--xpath', 'count(/results/result/interface)', join(dir, 'out.xml')]).stdout.trim();
    assert.equal(Number(count), JSON.parse(domfleet(['query', '--format', 'json', '//interface[@type="bridge"]', EXAMPLES]).stdout).length);
  });

  it('--count prints per-file counts and a total; -l lists files with matches', () => {
    const c = domfleet(['query', '--count', '//interface', EXAMPLES]);
    const lines = c.stdout.trim().split('\n');
    assert.equal(lines.length, FLEET_FILES + 1);
    const total = lines.pop().split('\t');
    assert.equal(total[0], 'total');
    assert.equal(Number(total[1]), lines.reduce((n, l) => n + Number(l.split('\t')[1]), 0));
    const l = domfleet(['query', '-l', 'xen-guests', EXAMPLES]);
    const listed = l.stdout.trim().split('\n').map((p) => p.split('/').pop());
    assert.deepEqual(listed, ['xen-hvm-win.xml', 'xen-pv-cluster.xml', 'xen-pv-db.xml', 'xen-pv-web.xml']);
  });

  it('--param binds $NAME; an unbound variable is a usage error', () => {
    const r = domfleet(['query', '--no-filename', '--param', 'br=br-lan', '//interface[source/@bridge=$br]/mac/@address', EXAMPLES]);
    assert.equal(r.stdout, '52:54:00:ee:00:03\n');
    const s = domfleet(['query', '--no-filename', '--param', 'br=br-lan', '//interface[source/@bridge=$br] ! string(mac/@address)', EXAMPLES]);
    assert.equal(s.stdout, '52:54:00:ee:00:03\n');
    const quote = domfleet(['query', '--no-filename', '--param', "t=it's", 'string($t)', join(EXAMPLES, 'host-c', 'kvm-minimal.xml')]);
    assert.equal(quote.stdout, "it's\n");
    assert.equal(domfleet(['query', '//interface[source/@bridge=$br]', EXAMPLES]).code, 2);
  });

  it('libvirt namespaces are pre-bound; --ns adds more', () => {
    const r = domfleet(['query', '--no-filename', 'string(//libosinfo:os/@id)', join(EXAMPLES, 'host-c', 'kvm-uefi.xml')]);
    assert.equal(r.stdout, 'http://debian.org/debian/12\n');
    const dir = scratch();
    writeFileSync(join(dir, 'm.xml'), '<domain><name>m</name><metadata><x:tag xmlns:x="urn:example">hi</x:tag></metadata></domain>');
    assert.equal(domfleet(['query', '--no-filename', '--ns', 'ex=urn:example', '//ex:tag', dir]).stdout, 'hi\n');
  });

  it('XPath 3.1 is available: let, for, maps, arrays, string-join', () => {
    const file = join(EXAMPLES, 'host-b', 'kvm-db01.xml');
    const r = domfleet(['query', '--no-filename', 'let $d := //disk return string-join(for $x in $d return $x/target/@dev, ",")', file]);
    assert.equal(r.stdout, 'vdb,vda,vdc\n');
    const a = domfleet(['query', '--format', 'json', 'array { 1, 2 } ?* , map { "k": 1 }?k', file]);
    assert.deepEqual(JSON.parse(a.stdout).map((x) => x.value), ['1', '2', '1']);
  });

  it('inputs: globs, - for paths on stdin, host from the first folder level or --host', () => {
    const glob = domfleet(['query', '--format', 'ndjson', '/domain/name', `${EXAMPLES}/host-[ab]/*.xml`]);
    const rows = glob.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, 10);
    assert.deepEqual([...new Set(rows.map((r) => r.host))], ['host-a', 'host-b']);
    const list = [join(EXAMPLES, 'host-c', 'kvm-minimal.xml'), join(EXAMPLES, 'host-a', 'xen-pv-db.xml')].join('\n') + '\n';
    const stdin = domfleet(['query', '--format', 'ndjson', '--host', 'h9', '/domain/name', '-'], { input: list });
    assert.deepEqual(stdin.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((r) => [r.host, r.domain]), [['h9', 'tiny'], ['h9', 'pv-db']]);
  });

  it('a file named by several inputs, or twice in a path list, is read once', () => {
    const one = join(EXAMPLES, 'host-c', 'kvm-minimal.xml');
    const names = (r) => r.stdout.trim().split('\n').map((l) => JSON.parse(l).file);
    const overlapping = domfleet(['query', '--format', 'ndjson', '/domain/name', one, join(EXAMPLES, 'host-c'), `${EXAMPLES}/host-c/*.xml`]);
    const folder = domfleet(['query', '--format', 'ndjson', '/domain/name', join(EXAMPLES, 'host-c')]);
    assert.equal(names(overlapping).length, names(folder).length);
    assert.equal(new Set(names(overlapping)).size, names(overlapping).length);
    const listed = domfleet(['query', '--format', 'ndjson', '/domain/name', '-'], { input: `${one}\n${one}\n` });
    assert.deepEqual(names(listed), [one]);
  });

  it('the cache answers an unchanged fleet without reading it again, and sees changes', () => {
    const dir = scratch();
    const cacheHome = scratch();
    for (const host of readdirSync(EXAMPLES)) {
      mkdirSync(join(dir, host));
      for (const f of readdirSync(join(EXAMPLES, host))) copyFileSync(join(EXAMPLES, host, f), join(dir, host, f));
    }
    const first = domfleet(['query', 'bridged-nics', dir], { cacheHome });
    assert.ok(readdirSync(join(cacheHome, 'domfleet')).some((f) => f.startsWith('query-')));
    // Same bytes length and timestamps but different content: only a cache hit still says br0.
    const target = join(dir, 'host-b', 'kvm-web01.xml');
    const st = statSync(target);
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, original.replace("bridge='br0'", "bridge='brX'"));
    utimesSync(target, st.atime, st.mtime);
    const edited = domfleet(['query', 'bridged-nics', dir], { cacheHome });
    const noCache = domfleet(['query', '--no-cache', 'bridged-nics', dir], { cacheHome });
    assert.match(noCache.stdout, /web01\t52:54:00:1a:2b:01\tbrX/);
    // ctime moved with the write, so the cache must notice too.
    assert.equal(edited.stdout, noCache.stdout);
    assert.notEqual(edited.stdout, first.stdout);
    const again = domfleet(['query', 'bridged-nics', dir], { cacheHome });
    assert.equal(again.stdout, noCache.stdout);
  });

  it('domfleet queries lists every saved query with its summary', () => {
    const r = domfleet(['queries']);
    for (const name of ['bridged-nics', 'nics', 'disks', 'vnc-open', 'graphics', 'memory', 'vcpus', 'xen-guests', 'legacy-syntax', 'runtime-state', 'consoles']) {
      assert.match(r.stdout, new RegExp(`^${name} +\\S`, 'm'));
    }
  });

  it('vnc-open finds VNC beyond loopback and tells an empty password (disabled) from none', () => {
    const r = domfleet(['query', '--format', 'json', 'vnc-open', EXAMPLES]);
    const rows = Object.fromEntries(JSON.parse(r.stdout).map((x) => [x.domain, x.value]));
    assert.deepEqual(Object.keys(rows).sort(), ['pv-web', 'web02', 'win2022-ad']);
    assert.equal(rows['win2022-ad'].password, 'disabled');
    assert.equal(rows.web02.password, 'no');
  });
});

describe('library API', () => {
  it("import { query } from 'domfleet' returns structured results without printing", async () => {
    const { query } = await import('domfleet');
    const result = await query('bridged-nics', EXAMPLES, { cache: false });
    assert.equal(result.engine, 'libxml2');
    assert.equal(result.files, FLEET_FILES);
    const web01 = result.results.find((f) => f.result?.domain === 'web01');
    assert.deepEqual(web01.result.items[0].value, { domain: 'web01', mac: '52:54:00:1a:2b:01', bridge: 'br0' });
    assert.equal(web01.host, 'host-b');
  });
});

describe('progress on a terminal', () => {
  it('draws a progress bar on stderr when it is a terminal, and nothing when it is not', function () {
    if (!hasCommand('script')) throw new Error('script (util-linux) is needed to give the command a terminal');
    const dir = scratch();
    for (let h = 0; h < 3; h++) {
      mkdirSync(join(dir, `h${h}`));
      for (let i = 0; i < 200; i++) writeFileSync(join(dir, `h${h}`, `vm${i}.xml`), `<domain type='kvm'><name>vm${h}-${i}</name></domain>\n`);
    }
    const cacheHome = scratch();
    // `script` runs the command on a pseudo-terminal; stdout goes to a file so only stderr shows.
    const out = join(scratch(), 'out.txt');
    const tty = run('script', ['-qec', `${process.execPath} ${join(EXAMPLES, '..', '..', 'bin', 'domfleet')} query --no-cache /domain/name ${dir} > ${out}`, '/dev/null'], { env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
    assert.equal(tty.code, 0, tty.stderr);
    assert.match(tty.stdout, /domfleet \[[^\]]*\] \d+\/600 files/);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 600);
    const piped = domfleet(['query', '--no-cache', '/domain/name', dir]);
    assert.equal(piped.stderr, '');
  });
});

describe('worker threads', () => {
  it('a fleet big enough for worker threads: same output as one thread, usage errors still exit 2 before output', () => {
    const dir = scratch();
    const names = readdirSync(EXAMPLES).flatMap((h) => readdirSync(join(EXAMPLES, h)).map((f) => join(EXAMPLES, h, f)));
    for (let copy = 0; copy < 20; copy++) {
      mkdirSync(join(dir, `host-${copy}`));
      names.forEach((f, i) => copyFileSync(f, join(dir, `host-${copy}`, `d${i}.xml`)));
    }
    writeFileSync(join(dir, 'host-0', 'broken.xml'), "<domain type='kvm'><name>x</name>\n<devices>\n");
    assert.ok(names.length * 20 >= 250, 'enough files for the worker pool');
    for (const expr of ['bridged-nics', "string-join(//interface/@type, ',')"]) {
      const threads = domfleet(['query', '--no-cache', '--format', 'ndjson', expr, dir]);
      const single = domfleet(['query', '--no-cache', '-j', '0', '--format', 'ndjson', expr, dir]);
      assert.equal(threads.code, 2, threads.stderr);
      assert.equal(threads.stdout, single.stdout, expr);
      assert.equal(threads.stderr, single.stderr, expr);
      assert.match(threads.stderr, /broken\.xml:\d+: /);
    }
    for (const bad of ['//interface[', '//x[$nope]']) {
      const r = domfleet(['query', '--no-cache', bad, dir]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^domfleet: /);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    return import('domfleet').then(async ({ query, QueryError }) => {
      await assert.rejects(query('//interface[', dir, { cache: false }), QueryError);
      const result = await query("string-join(//interface/@type, ',')", dir, { cache: false });
      assert.equal(result.engine, 'saxon');
    });
  });
});
