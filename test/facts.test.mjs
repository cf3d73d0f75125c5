// Facts that live once and are read by several consumers: every consumer must agree, on the
// shared corpus and on generated cases, and with libvirt where libvirt can say.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { domfleet, ROOT, requireCorpus, scratch } from './helpers/run.mjs';
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
