// Plans every saved query, and every expression of the lint rules, at build time
// (dist/query-plans.json), so that running one never loads the XPath parser: a one-file query
// stays as fast as the file it reads, and lint knows from the start what each rule needs to see
// in a file's bytes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listSavedQueries } from '../dist/core/query/saved-queries.js';
import { BUILT_PLANS, computePlan, planKey } from '../dist/core/engines/plans.js';
import { lintRules } from '../dist/core/lint/rules.js';
import { lintExpressions } from '../dist/core/lint/lint-job.js';

const expressions = [
  ...listSavedQueries().map((q) => q.expression),
  ...lintRules().flatMap((r) => r.templates.flatMap(lintExpressions)).map((e) => e.match),
];
const plans = {};
for (const expression of expressions) plans[planKey(expression)] = computePlan(expression);
writeFileSync(fileURLToPath(BUILT_PLANS), JSON.stringify(plans));
console.log(`planned ${Object.keys(plans).length} expressions (saved queries and lint rules)`);
