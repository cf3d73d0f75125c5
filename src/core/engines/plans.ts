// Where a query's plan comes from: the table the build wrote for the saved queries, the private
// cache for expressions planned before, or the parser (then stored for next time). Parsing costs
// a one-file query about as much as the rest of it, so it happens once per expression.
import { existsSync, readFileSync } from 'node:fs';
import { makeFolders } from '../write/write.js';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cacheDir, cacheProblem, contentKey, writePrivate } from '../fleet/cache.js';
import { PROJECT_ROOT } from '../version.js';
import { PLAN_VERSION, planFromTree, saxonOnlyPlan, type QueryPlan } from './query-plan.js';
import { parseXPath, XPathParseError } from './xqueryx.js';

export const BUILT_PLANS = new URL('dist/query-plans.json', PROJECT_ROOT);

/** The parser's version: a newer fontoxpath may build another tree, so its plans are others. */
const PARSER_VERSION = (createRequire(import.meta.url)('fontoxpath/package.json') as { version: string }).version;

export function planKey(expression: string): string {
  return contentKey('plan', PLAN_VERSION, PARSER_VERSION, expression);
}

/** The plan, from the parser. An expression fontoxpath cannot parse is left to SaxonJS to judge. */
export function computePlan(expression: string): QueryPlan {
  try {
    return planFromTree(parseXPath(expression));
  } catch (e) {
    if (e instanceof XPathParseError) return saxonOnlyPlan();
    throw e;
  }
}

let built: Record<string, QueryPlan> | null = null;

function builtPlans(): Record<string, QueryPlan> {
  if (!built) {
    try {
      built = JSON.parse(readFileSync(BUILT_PLANS, 'utf8')) as Record<string, QueryPlan>;
    } catch {
      built = {};
    }
  }
  return built;
}

const isPlan = (v: unknown): v is QueryPlan =>
  typeof v === 'object' && v !== null && (v as QueryPlan).version === PLAN_VERSION && Array.isArray((v as QueryPlan).mapKeys) && Array.isArray((v as QueryPlan).prefixes) && typeof (v as QueryPlan).prefilter === 'object';

/** The plan for an expression, parsed at most once per expression and user. */
export function planFor(expression: string): QueryPlan {
  const key = planKey(expression);
  const stored = builtPlans()[key];
  if (isPlan(stored)) return stored;
  const problem = cacheProblem();
  const folder = join(cacheDir(), 'plans');
  const file = join(folder, `${key}.json`);
  if (!problem && existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (isPlan(cached)) return cached;
    } catch {
      // A damaged entry is a miss.
    }
  }
  const plan = computePlan(expression);
  if (!problem) {
    try {
      makeFolders(folder, 0o700);
      writePrivate(file, JSON.stringify(plan));
    } catch {
      // Not stored: planned again next time.
    }
  }
  return plan;
}
