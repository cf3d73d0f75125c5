// Saved queries: queries/NAME.xpath, each opening with an XPath comment whose first line is the
// summary and whose `params:` and `columns:` lines document the rest.
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
  /** The .xpath file. */
  file: string;
}

export const QUERIES_DIR = join(fileURLToPath(PROJECT_ROOT), 'queries');

export function isSavedQueryName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(name) && existsSync(join(QUERIES_DIR, `${name}.xpath`));
}

export function loadSavedQuery(name: string): SavedQuery {
  const file = join(QUERIES_DIR, `${name}.xpath`);
  const expression = readFileSync(file, 'utf8').trim();
  const header = /^\(:([\s\S]*?):\)/.exec(expression)?.[1] ?? '';
  const lines = header.split('\n').map((l) => l.trim()).filter(Boolean);
  const field = (key: string) => lines.find((l) => l.toLowerCase().startsWith(`${key}:`))?.slice(key.length + 1).trim() ?? '';
  return { name, summary: lines[0] ?? '', params: field('params'), columns: field('columns'), expression, file };
}

export function listSavedQueries(): SavedQuery[] {
  return readdirSync(QUERIES_DIR).filter((f) => f.endsWith('.xpath')).sort().map((f) => loadSavedQuery(f.slice(0, -6)));
}
