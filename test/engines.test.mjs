// The engines agree: every expression `--engine auto` runs on libxml2 (XPath 1.0) must give
// exactly what SaxonJS (XPath 3.1) gives, or fail where SaxonJS fails, on every file. Run over
// the saved queries and a few hundred generated expressions (calls over paths that select
// several nodes, comparisons, arithmetic, predicates) on the corpus and the examples.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXAMPLES, domfleet, requireCorpus, scratch } from './helpers/run.mjs';
import { computePlan } from '../dist/core/engines/plans.js';
import { compileQuery } from '../dist/core/engines/compiled-query.js';
import { listSavedQueries } from '../dist/core/query/saved-queries.js';
import { parseDomain } from '../dist/core/read/parse.js';

const PATHS = ['//mac/@address', '/domain/name', '//disk/target/@dev', '/domain/vcpu', '//interface/@type', '@type',
  '/domain/@type', '//source/@file', '.', '/domain/uuid', '//graphics/@port', '/domain/memory'];
const CALLS = ['string(P)', "concat(P, '')", "contains(P, 'a')", "starts-with(P, '5')", "substring-before(P, ':')",
  "substring-after(P, ':')", 'substring(P, 2)', 'string-length(P)', 'normalize-space(P)', "translate(P, 'abc', 'ABC')",
  'number(P)', 'name(P)', 'local-name(P)', 'floor(P)', 'round(P)', 'count(P)', 'boolean(P)', 'not(P)', 'sum(P)',
  // Numbers 3.1 keeps as integers or decimals, or writes as text its own way (1.0E6).
  'string(number(P))', "concat(number(P), '')", 'number(P) * 1000000', 'count(P) div 3', '0.1 + count(P)',
  'string(count(P) * 1000000)', 'floor(number(P)) div 2', '-count(P)', 'string(1.5 * count(P))'];
const COMPARISONS = ["P = 'kvm'", "P != 'kvm'", 'P = 1', 'P < 2', 'P >= 1', "P > 'a'", 'P = P', '2 > P'];
const ARITHMETIC = ['P + 1', 'P * 2', 'P - 1', 'P div 2', 'P mod 2', '1 + count(P)', 'count(P) * 2'];
const PREDICATES = ["//disk[target/@bus = 'virtio']/source/@file", "//interface[@type = 'bridge']/mac/@address",
  '//disk[position() = 2]/target/@dev', "//*[@type = 'pty']", '//disk[target/@dev][1]/@type', '/domain/devices/*[last()]/@type',
  "//interface[string-length(mac/@address) > 0]/@type", "//disk[contains(source/@file, 'img')]/target/@dev",
  "/domain[vcpu > 1]/name", "//graphics[@port = '-1']/@type", "//interface[model/@type = 'virtio' or @type = 'network']/@type"];

// Tabular queries: rows once, then each column from every row.
const ROWS = ["//interface ! map { 'mac': string(mac/@address), 'n': count(*), 'bridge': concat(@type, ':', source/@bridge) }",
  "//disk ! map { 'file': string(source/@file), 'dev': target/@dev, 'bus': string(../disk/target/@bus) }",
  "/domain/devices/* ! map { 'kind': local-name(), 'type': string(@type), 'mb': number(../../memory) div 1024 }",
  "//graphics ! map { 'port': @port, 'open': @listen != '127.0.0.1' }"];

function generated() {
  const out = new Set();
  for (const p of PATHS) {
    for (const c of CALLS) out.add(c.replace('P', p));
    for (const c of COMPARISONS) out.add(c.replaceAll('P', p));
    for (const a of ARITHMETIC) out.add(a.replace('P', p));
  }
  for (const p of PREDICATES) { out.add(p); out.add(`count(${p})`); out.add(`string(${p})`); }
  for (const row of ROWS) out.add(row);
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

describe('engines agree on the cases a review found', () => {
  it('Q{uri} names, a relative path opening with descendant-or-self, CDATA text nodes, number() of text, and unbound $toString', () => {
    const doc = parseDomain('review.xml', Buffer.from(`<domain type='kvm'><name>ab<![CDATA[cd]]></name><description>+5</description><devices>
      <disk type='file' device='disk'><target dev='vda'/></disk><disk type='file' device='cdrom'><target dev='hdc'/></disk>
    </devices></domain>`));
    try {
      for (const expression of ['count(//Q{urn:x}disk)', '//Q{urn:x}disk/@type', 'Q{urn:x}count(//disk)', 'descendant-or-self::node()/disk/@device',
        'count(name/text())', 'string-length(name/text())', 'number(description)', 'count(//disk[number(@x) = 5])']) {
        assert.deepEqual(evaluateOrCompileError(expression, 'auto', doc), evaluateOrCompileError(expression, 'saxon', doc), expression);
      }
    } finally {
      doc.dispose();
    }
    assert.throws(() => compileQuery({ expression: '/domain[name = $toString]/name', engine: 'libxml2' }), (e) => e.name === 'QueryError' && /\$toString is not bound/.test(e.message));
  });
});

/** An evaluation's result, or { error: true } when the expression does not even compile. */
function evaluateOrCompileError(expression, engine, doc) {
  let query;
  try {
    query = compileQuery({ expression, engine });
  } catch {
    return { error: true };
  }
  return evaluate(query, doc);
}

describe('query plans: made once per expression, private, a damaged one is a miss', () => {
  const expression = "//interface[@type = 'bridge']/mac/@address";
  const file = join(EXAMPLES, 'host-a');

  it('the first run stores the plan 0600 in a 0700 folder; a damaged plan is planned again, same answer', () => {
    const cacheHome = scratch('domfleet-plans-');
    const first = domfleet(['query', '--no-cache', expression, file], { cacheHome });
    assert.equal(first.code, 0, first.stderr);
    const folder = join(cacheHome, 'domfleet', 'plans');
    const plans = readdirSync(folder);
    assert.equal(plans.length, 1);
    assert.equal(statSync(folder).mode & 0o777, 0o700);
    assert.equal(statSync(join(folder, plans[0])).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(join(folder, plans[0]), 'utf8')), computePlan(expression));
    for (const damage of ['{"version": 1, "whole": {"text": ["/"', 'null', '{"version": 1}']) {
      writeFileSync(join(folder, plans[0]), damage);
      const again = domfleet(['query', '--no-cache', expression, file], { cacheHome });
      assert.equal(again.code, 0, again.stderr);
      assert.equal(again.stdout, first.stdout, `after ${damage}`);
      assert.deepEqual(JSON.parse(readFileSync(join(folder, plans[0]), 'utf8')), computePlan(expression), 'stored again');
    }
  });

  it('saved queries are planned at build time: running one stores no plan', () => {
    const cacheHome = scratch('domfleet-plans-');
    const r = domfleet(['query', '--no-cache', 'bridged-nics', file], { cacheHome });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(join(cacheHome, 'domfleet', 'plans')) || readdirSync(join(cacheHome, 'domfleet', 'plans')).length === 0);
  });

  it('an expression the parser cannot read is judged by SaxonJS: one usage error', () => {
    const r = domfleet(['query', '//interface[', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid XPath/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});
