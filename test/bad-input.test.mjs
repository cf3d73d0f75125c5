// Every kind of bad input gets one line naming file and line; the rest of the fleet is still
// processed; the exit code says so. Fixtures are built here, byte by byte.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { domfleet, scratch } from './helpers/run.mjs';

const GOOD = "<domain type='kvm'><name>good</name><devices><interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/></interface></devices></domain>\n";

function fleetWith(name, bytes) {
  const dir = scratch();
  writeFileSync(join(dir, 'a-good.xml'), GOOD);
  writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, 'z-good.xml'), GOOD.replace('good', 'good2'));
  return dir;
}

function errorLines(stderr) {
  return stderr.split('\n').filter(Boolean);
}

const cases = [
  { kind: 'malformed', bytes: "<domain><name>x</name>\n<devices><disk></devices>\n</domain>\n", line: 2, reason: /malformed|mismatch/i },
  { kind: 'truncated', bytes: "<domain type='kvm'>\n  <name>x</name>\n  <devices>\n    <disk type='file'", line: 4, reason: /truncated|malformed|end of data|Couldn't find end/i },
  { kind: 'empty', bytes: '', line: 1, reason: /empty file/ },
  { kind: 'whitespace-only', bytes: '\n\n  \n', line: 4, reason: /empty file/ },
  { kind: 'binary', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), line: 3, reason: /binary/ },
  { kind: 'wrong-encoding', bytes: Buffer.concat([Buffer.from("<?xml version='1.0' encoding='UTF-8'?>\n<domain><name>caf"), Buffer.from([0xe9]), Buffer.from('</name></domain>\n')]), line: 2, reason: /encoding/i },
  { kind: 'billion-laughs', bytes: (() => {
    let s = "<?xml version='1.0'?>\n<!DOCTYPE domain [\n<!ENTITY l0 'lol'>\n";
    for (let i = 1; i < 12; i++) s += `<!ENTITY l${i} '${`&l${i - 1};`.repeat(10)}'>\n`;
    return s + ']>\n<domain><name>&l11;</name></domain>\n';
  })(), line: null, reason: /entity/i },
];

describe('bad input', () => {
  for (const c of cases) {
    it(`${c.kind}: one line naming file${c.line ? ` and line ${c.line}` : ''}, others still answered, exit 2`, () => {
      const dir = fleetWith(`bad-${c.kind}.xml`, c.bytes);
      const r = domfleet(['query', '/domain/name', dir]);
      assert.equal(r.code, 2, r.stderr);
      const lines = errorLines(r.stderr);
      assert.equal(lines.length, 1, `expected exactly one stderr line, got:\n${r.stderr}`);
      const path = join(dir, `bad-${c.kind}.xml`);
      assert.ok(lines[0].startsWith(`${path}:`), lines[0]);
      if (c.line !== null) assert.ok(lines[0].startsWith(`${path}:${c.line}: `), lines[0]);
      else assert.match(lines[0], new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: `));
      assert.match(lines[0], c.reason);
      assert.match(r.stdout, /a-good\.xml\tgood\n/);
      assert.match(r.stdout, /z-good\.xml\tgood2\n/);
    });
  }

  it('a bad file the pre-filter could skip is still reported', () => {
    const dir = fleetWith('bad-truncated.xml', "<domain type='kvm'>\n  <name>x</name>\n  <devices>\n");
    const r = domfleet(['query', 'bridged-nics', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad-truncated\.xml:\d+: /);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 2);
  });

  it('an unreadable path (dangling link) is reported and the rest processed', () => {
    const dir = fleetWith('placeholder.xml', GOOD.replace('good', 'good3'));
    symlinkSync('/nonexistent/domfleet/target.xml', join(dir, 'm-dangling.xml'));
    const r = domfleet(['query', '/domain/name', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /m-dangling\.xml: dangling symbolic link\n/);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 3);
  });

  it('a missing input and an empty glob are usage-level input errors (exit 2), the rest still runs', () => {
    const dir = fleetWith('b.xml', GOOD.replace('good', 'good3'));
    const r = domfleet(['query', '/domain/name', join(dir, 'nope.xml'), join(dir, '*.nomatch'), dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope\.xml: no such file or folder/);
    assert.match(r.stderr, /\*\.nomatch: no file matches this pattern/);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 3);
  });

  it('a file whose root is not <domain> is skipped with a notice; --strict makes it an error', () => {
    const dir = fleetWith('network.xml', "<network><name>default</name></network>\n");
    const lax = domfleet(['query', '/domain/name', dir]);
    assert.equal(lax.code, 0);
    assert.match(lax.stderr, /network\.xml: skipped: not a domain definition \(root element is <network>\)/);
    const strict = domfleet(['query', '--strict', '/domain/name', dir]);
    assert.equal(strict.code, 2);
    assert.match(strict.stderr, /network\.xml: error: not a domain definition/);
  });

  it('never resolves external entities: a SYSTEM entity naming a local file does not leak it', () => {
    const dir = scratch();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET-CONTENT\n');
    writeFileSync(join(dir, 'xxe.xml'), `<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM "file://${secret}">]>\n<domain><name>vm&x;</name><description>&x;</description></domain>\n`);
    for (const engine of ['libxml2', 'saxon']) {
      const r = domfleet(['query', '--engine', engine, '--format', 'json', '/domain/(name|description)', dir]);
      assert.doesNotMatch(r.stdout + r.stderr, /TOP-SECRET/, engine);
    }
    const r = domfleet(['query', 'string(/domain)', join(dir, 'xxe.xml')]);
    assert.doesNotMatch(r.stdout + r.stderr, /TOP-SECRET/);
  });

  it('reads ISO-8859-1 and UTF-16 files with a correct declaration, and UTF-8 with a BOM', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'latin1.xml'), Buffer.concat([Buffer.from("<?xml version='1.0' encoding='ISO-8859-1'?>\n<domain><name>caf"), Buffer.from([0xe9]), Buffer.from('</name></domain>\n')]));
    writeFileSync(join(dir, 'utf16.xml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("<?xml version='1.0' encoding='UTF-16'?>\n<domain><name>na\u00efve</name></domain>\n", 'utf16le')]));
    writeFileSync(join(dir, 'bom.xml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<domain><name>bom\u00e9</name></domain>\n')]));
    writeFileSync(join(dir, 'entity.xml'), "<?xml version='1.0'?>\n<!DOCTYPE domain [<!ENTITY host 'web'>]>\n<domain><name>&host;01</name></domain>\n");
    for (const engine of ['libxml2', 'saxon']) {
      const r = domfleet(['query', '--engine', engine, '--no-filename', 'string(/domain/name)', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.stdout.split('\n').filter(Boolean), ['bom\u00e9', 'web01', 'caf\u00e9', 'na\u00efve'], engine);
    }
  });

  it('nested folders: every *.xml below a folder, other files ignored', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'h1', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'h1', 'deep', 'vm.xml'), GOOD);
    writeFileSync(join(dir, 'h1', 'notes.txt'), 'not xml');
    const r = domfleet(['query', '--format', 'ndjson', '/domain/name', dir]);
    assert.equal(r.code, 0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => [x.host, x.domain]), [['h1', 'good']]);
  });
});
