// Facts that live once and are read by several consumers: every consumer must agree, on the
// shared corpus and on generated cases, and with libvirt where libvirt can say.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, domfleet, ROOT, requireCorpus, scratch } from './helpers/run.mjs';
import { libvirtDump, mapLimit } from './helpers/libvirt.mjs';

const UNITS = JSON.parse(readFileSync(join(ROOT, 'stylesheets', 'lib', 'units.json'), 'utf8'));
const unitNames = Object.keys(UNITS).filter((k) => !k.startsWith('_'));

/** A minimal domain whose memory is `value` in `unit` (spelled with the given case). */
const domain = (name, value, unit) => `<domain type='kvm'>
  <name>${name}</name>
  <memory${unit === null ? '' : ` unit='${unit}'`}>${value}</memory>
  <os><type arch='x86_64'>hvm</type></os>
</domain>
`;

describe('one table of size units (stylesheets/lib/units.json)', function () {
  this.timeout(180_000);
  const dir = scratch('units-');
  const cases = [];
  for (const unit of [...unitNames, null]) {
    for (const spelling of unit === null ? [null] : [unit, unit.toUpperCase(), unit[0].toUpperCase() + unit.slice(1)]) {
      for (const value of ['1', '3', '1000', '1023', '1025', '4096']) {
        const name = `vm-${cases.length}`;
        writeFileSync(join(dir, `${name}.xml`), domain(name, value, spelling));
        cases.push({ name, value, unit: spelling });
      }
    }
  }
  const expected = (c) => {
    const bytes = BigInt(c.unit === null ? 1024 : UNITS[c.unit.toLowerCase()]);
    return String((BigInt(c.value) * bytes + 1023n) / 1024n);
  };

  it('normalize (f:to-kib), report (TypeScript) and the saved query memory agree with the table', () => {
    const q = JSON.parse(domfleet(['query', '--format', 'json', 'memory', dir]).stdout);
    const r = JSON.parse(domfleet(['report', '--format', 'json', '-o', '-', dir]).stdout);
    const n = domfleet(['normalize', '-o', join(dir, '..', 'units-normal'), dir]);
    assert.equal(n.code, 0, n.stderr);
    for (const c of cases) {
      const want = expected(c);
      assert.equal(q.find((x) => x.domain === c.name).value.memory_kib, want, `query memory: ${c.value} ${c.unit}`);
      // The report's memoryKib is a JSON number: exact up to 2^53 KiB (8 ZiB, far beyond what
      // libvirt accepts: it refuses more than 16 EiB).
      if (BigInt(want) <= BigInt(Number.MAX_SAFE_INTEGER)) assert.equal(String(r.domains.find((d) => d.name === c.name).memoryKib), want, `report: ${c.value} ${c.unit}`);
      const normal = readFileSync(join(dir, '..', 'units-normal', `${c.name}.xml`), 'utf8');
      assert.match(normal, new RegExp(`<memory unit='KiB'>${want}</memory>`), `normalize: ${c.value} ${c.unit}`);
    }
  });

  it('the table is libvirt\'s: libvirt gives the same KiB for every unit it accepts', async () => {
    const sample = cases.filter((c) => c.value === '1025' || c.value === '3');
    let compared = 0;
    await mapLimit(sample, 3, async (c) => {
      const dumped = await libvirtDump(domain(c.name, c.value, c.unit));
      if (dumped.rejected !== undefined) return; // too large for libvirt (P and E units)
      compared++;
      assert.match(dumped.xml, new RegExp(`<memory unit='KiB'>${expected(c)}</memory>`), `${c.value} ${c.unit}`);
    });
    assert.ok(compared > sample.length / 2, `libvirt compared ${compared} of ${sample.length}`);
  });
});

describe('one list of old-format constructs (queries/legacy-syntax.json)', function () {
  this.timeout(300_000);
  const list = JSON.parse(readFileSync(join(ROOT, 'queries', 'legacy-syntax.json'), 'utf8')).constructs;
  let inputs;
  let found;
  before(function () {
    requireCorpus(this);
    inputs = [CORPUS, join(ROOT, 'examples', 'fleet')];
    found = JSON.parse(domfleet(['query', '-q', '--format', 'json', 'legacy-syntax', ...inputs]).stdout);
  });

  const byFile = (rows, key) => {
    const map = new Map();
    for (const r of rows) map.set(r.file, new Set([...(map.get(r.file) ?? []), key(r)]));
    return map;
  };

  it('every construct is found somewhere in the corpus or the examples (so the checks below mean something)', () => {
    const seen = new Set(found.map((r) => r.value.construct));
    for (const c of list) assert.ok(seen.has(c.label), `${c.label} is never found`);
  });

  it('report lists per domain exactly the constructs the saved query finds', () => {
    const report = JSON.parse(domfleet(['report', '-q', '--format', 'json', '-o', '-', ...inputs]).stdout);
    const fromQuery = byFile(found, (r) => r.value.construct);
    for (const d of report.domains) {
      assert.deepEqual([...new Set(d.legacy)].sort(), [...(fromQuery.get(d.file) ?? [])].sort(), d.file);
    }
  });

  it('migrate rewrites every construct, with the rule the list names', () => {
    const rules = new Set(JSON.parse(domfleet(['migrate', '--to', 'kvm', '--explain', '--format', 'json', join(ROOT, 'examples', 'fleet', 'host-a', 'xen-hvm-win.xml')]).stdout).flatMap((f) => f.changes.map((c) => c.rule)));
    assert.ok(rules.size > 0);
    const explained = {};
    for (const to of ['modern', 'kvm']) {
      const args = ['migrate', '-q', '--to', to, ...(to === 'kvm' ? ['--force'] : []), '--explain', '--format', 'json', ...inputs];
      explained[to] = byFile(JSON.parse(domfleet(args).stdout).flatMap((f) => f.changes.map((c) => ({ file: f.file, rule: c.rule }))), (r) => r.rule);
    }
    for (const row of found) {
      const c = list.find((x) => x.label === row.value.construct);
      assert.ok(explained[c.target].get(row.file)?.has(c.rule), `${row.file}: ${c.label} at ${row.value.where}: migrate --to ${c.target} does not fire ${c.rule}`);
    }
    for (const [to, args, left] of [['modern', [], list.filter((c) => c.target === 'kvm').map((c) => c.label)], ['kvm', ['--force'], []]]) {
      const out = scratch(`migrated-${to}-`);
      domfleet(['migrate', '-q', '--to', to, ...args, '-o', out, ...inputs]);
      const after = JSON.parse(domfleet(['query', '-q', '--format', 'json', 'legacy-syntax', out]).stdout);
      for (const r of after) assert.ok(left.includes(r.value.construct), `after migrate --to ${to}: ${r.file} still has ${r.value.construct}`);
    }
  });
});

describe('facts written once', () => {
  // Each fact has one home; these are the spellings a copy would have. A second hit anywhere in
  // src/, stylesheets/ or queries/ is a copy that will drift (two already had: see git log).
  const homes = [
    ['the size unit table', /1073741824/g, 'stylesheets/lib/units.json'],
    ['target name prefixes per bus', /'virtio':\s*'vd'/g, 'stylesheets/lib/functions.xsl'],
    ['the bus a target name implies', /starts-with\(\$dev, 'vd'\)/g, 'stylesheets/lib/functions.xsl'],
    ['disk name letters', /codepoints-to-string\(97/g, 'stylesheets/lib/functions.xsl'],
    ["the default input bus", /\('', 'i686', 'x86_64'\)/g, 'stylesheets/lib/functions.xsl'],
    ['the old-format constructs', /memory size without unit/g, 'queries/legacy-syntax.json'],
  ];
  const files = [];
  const walk = (dir) => {
    for (const d of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${d.name}`;
      if (d.isDirectory()) walk(rel);
      else if (/\.(ts|xsl|xpath|json)$/.test(d.name) && !d.name.endsWith('.sef.json')) files.push(rel);
    }
  };
  for (const dir of ['src', 'stylesheets', 'queries']) walk(dir);

  for (const [fact, pattern, home] of homes) {
    it(`${fact}: only in ${home}`, () => {
      const places = files.filter((f) => (readFileSync(join(ROOT, f), 'utf8').match(pattern) ?? []).length > 0);
      assert.deepEqual(places, [home]);
    });
  }
});
