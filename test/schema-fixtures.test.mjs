// normalize's layout over libvirt's whole vocabulary: fixtures generated from libvirt's RELAX NG
// schema (test/helpers/schema-fixtures.mjs: every element and attribute of the domain schema where
// libvirt accepts it, shuffled), passed through libvirt's own parser and writer (test driver), then
//   fixed point   y = libvirt(x)         → normalize(y) === y
//   meaning kept  libvirt(normalize(x))  === libvirt(x)  (modulo values libvirt generates)
//   idempotent    normalize(normalize(x)) === normalize(x)
// Fixtures libvirt rejects are not failures; they are listed with libvirt's reason. The test fails
// when too little of the schema reaches libvirt's output to prove anything.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { generatedLines, libvirtDump, mapLimit, sameModulo, tryNormalize } from './helpers/libvirt.mjs';
import { hasCommand } from './helpers/run.mjs';
import { SCHEMA_DIR, generateFixtures, loadSchema, schemaVocabulary } from './helpers/schema-fixtures.mjs';

const SEED = Number(process.env.DOMFLEET_SCHEMA_SEED ?? 20260101);
// Floors: below these the run proves too little (the real numbers are printed).
const MIN_ACCEPTED = 0.9; // of the generated fixtures
const MIN_ELEMENTS = 0.9; // of the schema's element names (libvirt namespace), in libvirt's output
const MIN_ATTRIBUTES = 0.8; // of the schema's element@attribute pairs, in libvirt's output

/** The first differing lines of two texts, a few of each, for an assertion message. */
function firstDiff(expected, actual, context = 4, masked = new Set()) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && (a[i] === b[i] || masked.has(i))) i++;
  const show = (lines, sign) => lines.slice(i, i + context).map((l) => `        ${sign} ${l}`).join('\n');
  return `      at line ${i + 1}:\n${show(a, '-')}\n${show(b, '+')}`;
}

/** Element names and element@attribute pairs in a libvirt output. */
function vocabularyOf(xml, elements, attributes) {
  for (const m of xml.matchAll(/<([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*\/?>/g)) {
    elements.add(m[1]);
    for (const a of m[2].matchAll(/([\w:.-]+)\s*=/g)) attributes.add(`${m[1]}@${a[1]}`);
  }
}

const pct = (n, d) => `${(100 * n / Math.max(d, 1)).toFixed(1)} % (${n}/${d})`;

describe('normalize on fixtures generated from libvirt\'s RELAX NG schema', function () {
  this.timeout(600000);
  let fixtures = [];
  let results = [];
  let vocab;
  const covered = { elements: new Set(), attributes: new Set() };
  const generated = { elements: new Set(), attributes: new Set() };

  before(async function () {
    if (!existsSync(`${SCHEMA_DIR}/domain.rng`)) throw new Error(`${SCHEMA_DIR}/domain.rng is missing (Debian libvirt-daemon / libvirt-common ships it)`);
    if (!hasCommand('virsh')) throw new Error('virsh is not installed (Debian libvirt-clients; .ci/run installs it)');
    const schema = loadSchema();
    vocab = schemaVocabulary(schema);
    fixtures = generateFixtures({ schema, seed: SEED });
    results = await mapLimit(fixtures, 2, async (f) => {
      const r = { id: f.id, slot: f.slot };
      const path = `${f.id}.xml`;
      const nx = tryNormalize(f.xml, { path });
      r.normalizeError = nx.error;
      if (nx.text !== undefined) r.idempotent = tryNormalize(nx.text, { path }).text === nx.text;
      const y = await libvirtDump(f.xml);
      r.rejected = y.rejected;
      if (y.xml === undefined) return r;
      r.libvirt = y.xml;
      const ny = tryNormalize(y.xml, { path });
      r.fixed = ny.text === y.xml;
      if (!r.fixed) r.fixedDiff = ny.error ? `      normalize threw: ${ny.error}` : firstDiff(y.xml, ny.text);
      if (nx.text === undefined) {
        r.meaning = false;
        r.meaningDiff = `      normalize threw on the input: ${nx.error}`;
        return r;
      }
      const y2 = await libvirtDump(nx.text);
      if (y2.xml === y.xml) r.meaning = true;
      else if (y2.xml !== undefined) {
        const again = await libvirtDump(f.xml);
        const masked = generatedLines(y.xml, again.xml ?? '');
        r.meaning = masked !== null && masked.size > 0 && sameModulo(y.xml, y2.xml, masked);
        if (!r.meaning) r.meaningDiff = firstDiff(y.xml, y2.xml, 4, masked ?? new Set());
      } else {
        r.meaning = false;
        r.meaningDiff = `      libvirt rejects normalize(x): ${y2.rejected}`;
      }
      return r;
    });
    const accepted = results.filter((r) => r.rejected === undefined);
    for (const r of accepted) vocabularyOf(r.libvirt, covered.elements, covered.attributes);
    for (const f of fixtures) vocabularyOf(f.xml, generated.elements, generated.attributes);
    const inSchema = (set, all) => [...set].filter((x) => all.has(x)).length;
    console.log(`\n      schema: ${vocab.elements.size} element names, ${vocab.attributes.size} element@attribute pairs (${vocab.attributeNames.size} attribute names); ${vocab.foreign.size} foreign-namespace elements (qemu:, lxc:, bhyve:, xen:, vmware:) not generated`);
    console.log(`      fixtures generated: ${fixtures.length}; libvirt accepts ${pct(accepted.length, fixtures.length)}`);
    console.log(`      in the generated inputs:    elements ${pct(inSchema(generated.elements, vocab.elements), vocab.elements.size)}, attributes ${pct(inSchema(generated.attributes, vocab.attributes), vocab.attributes.size)}`);
    console.log(`      in libvirt's accepted output: elements ${pct(inSchema(covered.elements, vocab.elements), vocab.elements.size)}, attributes ${pct(inSchema(covered.attributes, vocab.attributes), vocab.attributes.size)}`);
    console.log(`      fixed point:  ${pct(accepted.filter((r) => r.fixed).length, accepted.length)}`);
    console.log(`      meaning kept: ${pct(accepted.filter((r) => r.meaning).length, accepted.length)}`);
    console.log(`      idempotent:   ${pct(results.filter((r) => r.idempotent).length, results.length)}`);
    const rejected = results.filter((r) => r.rejected !== undefined);
    if (rejected.length) {
      console.log(`      rejected by libvirt (${rejected.length}):`);
      for (const r of rejected) console.log(`        ${r.id}: ${r.rejected.split('\n')[0].replace(/^error: Failed to define domain from \S+\s*/, '')}`);
    }
    const missing = (all, got) => [...all].filter((x) => !got.has(x)).sort().join(' ');
    if (process.env.DOMFLEET_SCHEMA_MISSING) {
      console.log(`      elements not in libvirt's output: ${missing(vocab.elements, covered.elements)}`);
      console.log(`      attributes not in libvirt's output: ${missing(vocab.attributes, covered.attributes)}`);
    }
    console.log('');
  });

  it('libvirt accepts enough generated fixtures, covering enough of the schema', () => {
    const accepted = results.filter((r) => r.rejected === undefined).length;
    const elements = [...covered.elements].filter((x) => vocab.elements.has(x)).length;
    const attributes = [...covered.attributes].filter((x) => vocab.attributes.has(x)).length;
    assert.ok(accepted >= MIN_ACCEPTED * fixtures.length, `libvirt accepts only ${pct(accepted, fixtures.length)} of the fixtures`);
    assert.ok(elements >= MIN_ELEMENTS * vocab.elements.size, `only ${pct(elements, vocab.elements.size)} of the schema's element names reach libvirt's output; missing: ${[...vocab.elements].filter((x) => !covered.elements.has(x)).sort().join(' ')}`);
    assert.ok(attributes >= MIN_ATTRIBUTES * vocab.attributes.size, `only ${pct(attributes, vocab.attributes.size)} of the schema's element@attribute pairs reach libvirt's output`);
  });

  it('normalize reads every generated fixture that libvirt accepts', () => {
    const broken = results.filter((r) => r.rejected === undefined && r.normalizeError).map((r) => `${r.id}: ${r.normalizeError}`);
    assert.deepEqual(broken, []);
  });

  it('fixed point: normalize(libvirt(x)) is libvirt(x) byte for byte', () => {
    const failing = results.filter((r) => r.rejected === undefined && !r.fixed);
    assert.equal(failing.length, 0, `normalize changes libvirt's own output for ${failing.length} fixture(s):\n${failing.map((r) => `    ${r.id}\n${r.fixedDiff}`).join('\n')}`);
  });

  it('idempotent: normalize(normalize(x)) equals normalize(x) for every fixture', () => {
    assert.deepEqual(results.filter((r) => !r.idempotent).map((r) => r.id), []);
  });

  it('meaning kept: libvirt(normalize(x)) equals libvirt(x), modulo values libvirt generates', () => {
    const failing = results.filter((r) => r.rejected === undefined && !r.meaning);
    assert.equal(failing.length, 0, `libvirt reads normalize(x) differently from x for ${failing.length} fixture(s) (- libvirt(x), + libvirt(normalize(x))):\n${failing.map((r) => `    ${r.id}\n${r.meaningDiff}`).join('\n')}`);
  });
});
