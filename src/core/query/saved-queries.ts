// Saved queries: queries/NAME.xpath, each opening with an XPath comment whose first line is the
// summary and whose `params:` and `columns:` lines document the rest; and queries/NAME.json, a
// list of constructs (label and XPath 1.0 path) from which the query is made, for lists that
// other parts of domfleet read too (legacy-syntax: report, lint and the migrate tests;
// runtime-state: lint).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../version.js';

export interface SavedQuery {
  name: string;
  summary: string;
  params: string;
  columns: string;
  expression: string;
  /** The file it comes from (.xpath, or .json for a query made from a list of constructs). */
  file: string;
}

/** One construct of a list query: what it is, where it is (XPath 1.0), what rewrites it. */
export interface Construct {
  label: string;
  xpath: string;
  /** The migrate rule that rewrites it, and the --to target that has the rule (legacy-syntax). */
  rule?: string;
  target?: 'modern' | 'kvm';
}

interface ConstructList {
  summary: string;
  params: string;
  columns: string;
  constructs: Construct[];
}

export const QUERIES_DIR = join(fileURLToPath(PROJECT_ROOT), 'queries');

const NAME = /^[a-z0-9][a-z0-9-]*$/;

export function isSavedQueryName(name: string): boolean {
  return NAME.test(name) && (existsSync(join(QUERIES_DIR, `${name}.xpath`)) || existsSync(join(QUERIES_DIR, `${name}.json`)));
}

function readConstructList(file: string): ConstructList {
  return JSON.parse(readFileSync(file, 'utf8')) as ConstructList;
}

/** The constructs of a list query (queries/NAME.json). */
export function constructs(name: string): Construct[] {
  return readConstructList(join(QUERIES_DIR, `${name}.json`)).constructs;
}

/** One row per construct found: { domain, construct, where }. */
function listExpression(list: ConstructList): string {
  const literal = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return [
    `(: ${list.summary}\n   params: ${list.params}\n   columns: ${list.columns} :)`,
    'let $name := string(/domain/name)',
    "    , $hit := function($nodes as node()*, $what as xs:string) {",
    "  $nodes ! map { 'domain': $name, 'construct': $what, 'where': path(.) => replace('Q\\{[^}]*\\}', '') }",
    '}',
    'return (',
    list.constructs.map((c) => `  $hit(${c.xpath}, ${literal(c.label)})`).join(',\n'),
    ')',
  ].join('\n');
}

export function loadSavedQuery(name: string): SavedQuery {
  const json = join(QUERIES_DIR, `${name}.json`);
  if (existsSync(json)) {
    const list = readConstructList(json);
    return { name, summary: list.summary, params: list.params, columns: list.columns, expression: listExpression(list), file: json };
  }
  const file = join(QUERIES_DIR, `${name}.xpath`);
  const expression = readFileSync(file, 'utf8').trim();
  const header = /^\(:([\s\S]*?):\)/.exec(expression)?.[1] ?? '';
  const lines = header.split('\n').map((l) => l.trim()).filter(Boolean);
  const field = (key: string) => lines.find((l) => l.toLowerCase().startsWith(`${key}:`))?.slice(key.length + 1).trim() ?? '';
  return { name, summary: lines[0] ?? '', params: field('params'), columns: field('columns'), expression, file };
}

export function listSavedQueries(): SavedQuery[] {
  const names = new Set(readdirSync(QUERIES_DIR).filter((f) => /\.(xpath|json)$/.test(f)).map((f) => f.replace(/\.(xpath|json)$/, '')));
  return [...names].filter((n) => NAME.test(n)).sort().map(loadSavedQuery);
}
