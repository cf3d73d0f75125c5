// Plans every saved query at build time (dist/query-plans.json), so that running one never loads
// the XPath parser: a one-file query stays as fast as the file it reads.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listSavedQueries } from '../dist/core/query/saved-queries.js';
import { BUILT_PLANS, computePlan, planKey } from '../dist/core/engines/plans.js';

const plans = {};
for (const { expression } of listSavedQueries()) plans[planKey(expression)] = computePlan(expression);
writeFileSync(fileURLToPath(BUILT_PLANS), JSON.stringify(plans));
console.log(`planned ${Object.keys(plans).length} saved queries`);
