// The whole shared corpus plus the example fleet through `domfleet query`, checked against
// xmlstarlet (a separate XPath implementation run as its own process) and across our two engines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { domfleet, run, requireCorpus, EXAMPLES, CORPUS, ROOT, hasCommand } from './helpers/run.mjs';
import { computePlan } from '../dist/core/engines/plans.js';
import { displayText } from '../dist/core/engines/query-plan.js';
import { listSavedQueries } from '../dist/core/query/saved-queries.js';
import { compileQuery } from '../dist/core/engines/compiled-query.js';

const TAB = '\t';

function ndjson(text) {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

function ours(args, inputs) {
  const r = domfleet(['query', '--format', 'ndjson', ...args, ...inputs]);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return ndjson(r.stdout);
}

function rowKey(rec) {
  const v = typeof rec.value === 'string' ? [rec.value] : Object.values(rec.value);
  return [rec.file, ...v].join(TAB);
}

/** xmlstarlet over the same files: one line per row, FILE<TAB>col1<TAB>col2… */
function xmlstarletRows(rowsExpr, columnExprs, files) {
  const template = ['-t', '-m', rowsExpr, '-f'];
  for (const c of columnExprs) template.push('-o', TAB, '-v', c);
  template.push('-n');
  const r = run('xmlstarlet', ['sel', '-T', ...template, ...files]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

describe('query over the corpus and the examples', function () {
  let corpus;
  let files;
  before(function () {
    corpus = requireCorpus(this);
    files = [...corpus.map((c) => c.path), ...run('find', [EXAMPLES, '-name', '*.xml']).stdout.trim().split('\n').sort()];
    if (!hasCommand('xmlstarlet')) throw new Error('xmlstarlet is not installed (.ci/run installs it)');
  });

  it('answers every corpus file (all are well-formed domains)', () => {
    const r = domfleet(['query', '--format', 'ndjson', 'string(/domain/name)', CORPUS]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const answered = new Set(ndjson(r.stdout).map((x) => x.file));
    for (const c of corpus) assert.ok(answered.has(c.path), `no answer for ${c.local_path}`);
    assert.equal(answered.size, corpus.length);
  });

  for (const saved of listSavedQueries()) {
    const shape = computePlan(saved.expression).rows;
    const engine = compileQuery({ expression: saved.expression, baseURI: pathToFileURL(saved.file).href }).engine;
    if (shape && engine === 'libxml2') {
      it(`${saved.name}: same rows as xmlstarlet`, () => {
        const cols = shape.columns.map((c) => displayText(c.text));
        const expected = xmlstarletRows(displayText(shape.rows), cols, files).sort();
        const got = ours([saved.name], files).map(rowKey).sort();
        assert.ok(expected.length > 0, 'the reference found no rows at all: the test would prove nothing');
        assert.deepEqual(got, expected);
      });
    }
    it(`${saved.name}: the libxml2 and SaxonJS engines agree (ran on ${engine})`, () => {
      const auto = ours([saved.name], files).map(rowKey).sort();
      const saxon = ours(['--engine', 'saxon', saved.name], files).map(rowKey).sort();
      assert.ok(auto.length > 0, 'no rows: the comparison would prove nothing');
      assert.deepEqual(auto, saxon);
    });
  }

  it('memory: KiB for every spelling, as an independent conversion of the raw value and unit', () => {
    const factor = { b: 1, byte: 1, bytes: 1, k: 1024, kib: 1024, kb: 1e3, m: 1024 ** 2, mib: 1024 ** 2, mb: 1e6, g: 1024 ** 3, gib: 1024 ** 3, gb: 1e9, t: 1024 ** 4, tib: 1024 ** 4, tb: 1e12 };
    const raw = xmlstarletRows('/domain', ['normalize-space(memory)', 'memory/@unit'], files);
    const expected = raw.map((line) => {
      const [file, value, unit] = line.split(TAB);
      if (value === '') return `${file}${TAB}`;
      const bytes = BigInt(value) * BigInt(factor[(unit || 'KiB').toLowerCase()]);
      const kib = (bytes + 1023n) / 1024n;
      return `${file}${TAB}${kib}`;
    }).sort();
    const got = ours(['memory'], files).map((r) => `${r.file}${TAB}${r.value.memory_kib}`).sort();
    assert.deepEqual(got, expected);
    assert.ok(got.some((l) => l.endsWith('kvm-windows.xml\t7812500')), '8 GB is 7812500 KiB');
    assert.ok(got.some((l) => l.endsWith('kvm-db01.xml\t16777216')), '16 GiB is 16777216 KiB');
  });

  it('runtime-state: the same files as an xmlstarlet search for live-only state', () => {
    const live = "/domain[@id or devices/*/alias[not(starts-with(@name,'ua-'))] or devices/interface/target[starts-with(@dev,'vnet') or starts-with(@dev,'macvtap') or starts-with(@dev,'macvlan') or starts-with(@dev,'vif')][not(@managed='no')] or devices/*[self::serial or self::console or self::parallel or self::channel][@type='pty']/source/@path or devices/console/@tty or devices/channel/target/@state or devices/graphics[@autoport='yes'][@port and @port!='-1'] or seclabel[@type='dynamic']/label or seclabel[@type='dynamic']/imagelabel or devices/disk/source/@index or devices/disk/backingStore/@index]";
    const expected = xmlstarletRows(live, [], files).sort();
    const got = [...new Set(ours(['runtime-state'], files).map((r) => r.file))].sort();
    assert.ok(expected.length > 0);
    assert.deepEqual(got, expected);
  });

  it('legacy-syntax: per-file hit counts equal a sum of xmlstarlet counts of the list it is made from', () => {
    // The constructs' paths are XPath 1.0: xmlstarlet (libxml2's own XPath, another program) counts them.
    const parts = JSON.parse(readFileSync(join(ROOT, 'queries', 'legacy-syntax.json'), 'utf8')).constructs.map((c) => c.xpath);
    const sum = parts.map((p) => `count(${p})`).join(' + ');
    const expected = xmlstarletRows('/domain', [sum], files).filter((l) => !l.endsWith(`${TAB}0`)).sort();
    const counts = new Map();
    for (const r of ours(['legacy-syntax'], files)) counts.set(r.file, (counts.get(r.file) ?? 0) + 1);
    const got = [...counts].map(([f, n]) => `${f}${TAB}${n}`).sort();
    assert.deepEqual(got, expected);
  });

  const agreeing = [
    '//interface/mac/@address', 'count(//disk)', "/domain/devices/disk[@device='cdrom']/target/@dev",
    'string(/domain/uuid)', 'sum(/domain/vcpu)', 'boolean(//graphics)', "//*[@type='pty']", '/domain/@type',
    'count(//interface[@type="network"]) > 0', "//disk[target/@bus != 'virtio']/source/@file", '//comment()',
    "//qemu:commandline/qemu:arg/@value", 'number(/domain/vcpu) > 1', '/domain/devices/*[last()]',
  ];
  for (const expr of agreeing) {
    it(`engines agree on every file for ${expr}`, () => {
      const fast = domfleet(['query', '--format', 'ndjson', '--engine', 'libxml2', expr, ...files]);
      const slow = domfleet(['query', '--format', 'ndjson', '--engine', 'saxon', expr, ...files]);
      assert.equal(fast.code, slow.code, fast.stderr + slow.stderr);
      assert.deepEqual(ndjson(fast.stdout), ndjson(slow.stdout));
    });
  }

  it('the pre-filter and worker threads change nothing: bridged-nics with and without them', () => {
    const plain = domfleet(['query', '--no-prefilter', '-j', '0', '--format', 'ndjson', 'bridged-nics', ...files]);
    const fast = domfleet(['query', '-j', '2', '--format', 'ndjson', 'bridged-nics', ...files]);
    assert.equal(plain.code, 0);
    assert.equal(fast.stdout, plain.stdout);
  });

  it('line numbers point at the matched element', () => {
    for (const rec of ours(['//interface/mac'], files).slice(0, 50)) {
      const line = readFileSync(rec.file, 'utf8').split('\n')[rec.line - 1];
      assert.match(line, /<mac\b/, `${rec.file}:${rec.line}`);
    }
  });
});
