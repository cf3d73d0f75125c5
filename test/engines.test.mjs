// The engines agree: every expression `--engine auto` runs on libxml2 (XPath 1.0) must give
// exactly what SaxonJS (XPath 3.1) gives, or fail where SaxonJS fails, on every file. Run over
// the saved queries and a few hundred generated expressions (calls over paths that select
// several nodes, comparisons, arithmetic, predicates) on the corpus and the examples.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXAMPLES, requireCorpus } from './helpers/run.mjs';
import { compileQuery } from '../dist/core/engines/compiled-query.js';
import { listSavedQueries } from '../dist/core/query/saved-queries.js';
import { parseDomain } from '../dist/core/read/parse.js';

const PATHS = ['//mac/@address', '/domain/name', '//disk/target/@dev', '/domain/vcpu', '//interface/@type', '@type',
  '/domain/@type', '//source/@file', '.', '/domain/uuid', '//graphics/@port', '/domain/memory'];
const CALLS = ['string(P)', "concat(P, '')", "contains(P, 'a')", "starts-with(P, '5')", "substring-before(P, ':')",
  "substring-after(P, ':')", 'substring(P, 2)', 'string-length(P)', 'normalize-space(P)', "translate(P, 'abc', 'ABC')",
  'number(P)', 'name(P)', 'local-name(P)', 'floor(P)', 'round(P)', 'count(P)', 'boolean(P)', 'not(P)', 'sum(P)'];
const COMPARISONS = ["P = 'kvm'", "P != 'kvm'", 'P = 1', 'P < 2', 'P >= 1', "P > 'a'", 'P = P', '2 > P'];
const ARITHMETIC = ['P + 1', 'P * 2', 'P - 1', 'P div 2', 'P mod 2', '1 + count(P)', 'count(P) * 2'];
const PREDICATES = ["//disk[target/@bus = 'virtio']/source/@file", "//interface[@type = 'bridge']/mac/@address",
  '//disk[position() = 2]/target/@dev', "//*[@type = 'pty']", '//disk[target/@dev][1]/@type', '/domain/devices/*[last()]/@type',
  "//interface[string-length(mac/@address) > 0]/@type", "//disk[contains(source/@file, 'img')]/target/@dev",
  "/domain[vcpu > 1]/name", "//graphics[@port = '-1']/@type", "//interface[model/@type = 'virtio' or @type = 'network']/@type"];

function generated() {
  const out = new Set();
  for (const p of PATHS) {
    for (const c of CALLS) out.add(c.replace('P', p));
    for (const c of COMPARISONS) out.add(c.replaceAll('P', p));
    for (const a of ARITHMETIC) out.add(a.replace('P', p));
  }
  for (const p of PREDICATES) { out.add(p); out.add(`count(${p})`); out.add(`string(${p})`); }
  return [...out];
}

function evaluate(query, doc) {
  try {
    return { items: query.evaluate(doc).map((i) => i.value) };
  } catch (e) {
    return { error: true };
  }
}

describe('engines agree: auto (libxml2 where it means the same) and saxon', function () {
  this.timeout(600_000);
  let docs;
  before(function () {
    const corpus = requireCorpus(this);
    // Every other corpus file keeps the run short; the examples are all in.
    const files = [...corpus.filter((_, i) => i % 2 === 0).map((c) => c.path),
      ...['host-a', 'host-b', 'host-c'].flatMap((h) => readdirSync(join(EXAMPLES, h)).map((f) => join(EXAMPLES, h, f)))];
    docs = [];
    for (const f of files) {
      try { docs.push({ path: f, doc: parseDomain(f, readFileSync(f)) }); } catch { /* bad or non-domain corpus files */ }
    }
  });
  after(() => { for (const d of docs ?? []) d.doc.dispose(); });

  const check = (spec) => {
    const auto = compileQuery({ ...spec, engine: 'auto' });
    if (auto.engine !== 'libxml2') return 'saxon';
    const saxon = compileQuery({ ...spec, engine: 'saxon' });
    for (const { path, doc } of docs) {
      const a = evaluate(auto, doc);
      const s = evaluate(saxon, doc);
      assert.deepEqual(a, s, `${spec.expression} on ${path}`);
    }
    return 'libxml2';
  };

  it('every saved query', () => {
    for (const saved of listSavedQueries()) check({ expression: saved.expression, baseURI: pathToFileURL(saved.file).href });
  });

  it('generated expressions: calls over multi-node paths, comparisons, arithmetic, predicates', function () {
    const expressions = generated();
    assert.ok(expressions.length >= 250, `${expressions.length} expressions`);
    const engines = { libxml2: 0, saxon: 0 };
    for (const expression of expressions) engines[check({ expression })]++;
    // Most must still run on the fast engine, or the routing would be trivially "agreeing".
    assert.ok(engines.libxml2 > 80, JSON.stringify(engines));
    this.test.title += ` (${expressions.length}: ${engines.libxml2} on libxml2, compared on ${docs.length} files; ${engines.saxon} routed to SaxonJS)`;
  });

  it('the cases found in review: all MACs asked for, several found, an error as in XPath 3.1', () => {
    const twoNics = parseDomain('two-nics.xml', Buffer.from(`<domain type='kvm'><name>two</name><devices>
      <interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='br0'/></interface>
      <interface type='bridge'><mac address='52:54:00:00:00:02'/><source bridge='br0'/></interface>
    </devices></domain>`));
    try {
      for (const expression of ["concat(//mac/@address, '')", "substring-before(//mac/@address, ':')", "string(/domain/devices/interface/mac/@address)"]) {
        const saxon = evaluate(compileQuery({ expression, engine: 'saxon' }), twoNics);
        assert.deepEqual(saxon, { error: true }, `${expression}: XPath 3.1 refuses several items`);
        assert.deepEqual(evaluate(compileQuery({ expression }), twoNics), saxon, `${expression}: auto gives the same error, not the first MAC`);
      }
    } finally {
      twoNics.dispose();
    }
  });
});
