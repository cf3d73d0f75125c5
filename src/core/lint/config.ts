// A team's lint policy, committed next to its definitions: .domfleet.json in the fleet's folder
// or any folder above it (the nearest wins, as with .editorconfig or .eslintrc), or a file named
// with --config. Unknown keys and rule ids are refused: a typo must not switch a rule back on.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { mayBeGlob } from '../read/inventory.js';
import { SEVERITIES, type Severity } from './rules.js';

export const CONFIG_FILE = '.domfleet.json';

export interface LintPolicy {
  /** Rules switched off. */
  disable?: string[];
  /** Rules that are off unless enabled (schema). */
  enable?: string[];
  /** Severity per rule id, replacing the rule's own. */
  severity?: Record<string, Severity>;
  /** Bridges the hosts have (unknown-bridge runs only when given). */
  bridges?: string[];
  /** Folders every host mounts (NFS …): disk images there are compared across hosts. */
  sharedStorage?: string[];
  /** The lowest severity that makes the run exit 1. */
  failOn?: Severity;
}

const POLICY_KEYS = ['disable', 'enable', 'severity', 'bridges', 'sharedStorage', 'failOn'];

/** Where a fleet input's policy would be: the folder it names, or the folder of the file or glob. */
function startFolder(input: string): string {
  if (input === '-') return process.cwd();
  let path = input;
  if (mayBeGlob(input) && !existsSync(input)) {
    const fixed: string[] = [];
    for (const part of input.split('/')) { if (mayBeGlob(part)) break; fixed.push(part); }
    path = fixed.join('/') || '.';
  }
  path = resolve(path);
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

function nearestConfig(folder: string): string | null {
  for (let dir = folder; ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The config file that governs these inputs, or null. Inputs under different policies (or some
 * under one and some under none) are a usage error: one run has one policy.
 */
export function findConfig(inputs: string[]): string | null {
  const found = new Set<string | null>();
  for (const input of inputs.length ? inputs : ['.']) found.add(nearestConfig(startFolder(input)));
  if (found.size > 1) throw new UsageError(`the inputs are governed by different lint policies (${[...found].map((f) => f ?? 'none').join(', ')}); lint them separately or pass --config`);
  return [...found][0] ?? null;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The "lint" section of a config file, checked against the rule ids there are. */
export function readPolicy(file: string, ruleIds: string[]): LintPolicy {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${file}: not a readable JSON config (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${file}: not a domfleet config (an object with a "lint" section)`);
  for (const key of Object.keys(data)) {
    if (key !== 'lint') throw new UsageError(`${file}: unknown key "${key}" (known: lint)`);
  }
  const section = (data as { lint?: unknown }).lint;
  if (section === undefined) return {};
  if (typeof section !== 'object' || section === null || Array.isArray(section)) throw new UsageError(`${file}: "lint" must be an object`);
  const policy = section as Record<string, unknown>;
  for (const key of Object.keys(policy)) {
    if (!POLICY_KEYS.includes(key)) throw new UsageError(`${file}: unknown key "lint.${key}" (known: ${POLICY_KEYS.join(', ')})`);
  }
  for (const key of ['disable', 'enable', 'bridges', 'sharedStorage'] as const) {
    if (policy[key] !== undefined && !isStringList(policy[key])) throw new UsageError(`${file}: "lint.${key}" must be a list of strings`);
  }
  const ids = [...(policy.disable as string[] | undefined ?? []), ...(policy.enable as string[] | undefined ?? [])];
  const severity = policy.severity ?? {};
  if (typeof severity !== 'object' || severity === null || Array.isArray(severity)) throw new UsageError(`${file}: "lint.severity" must map rule ids to ${SEVERITIES.join(', ')}`);
  for (const [id, level] of Object.entries(severity)) {
    ids.push(id);
    if (!SEVERITIES.includes(level as Severity)) throw new UsageError(`${file}: "lint.severity.${id}" must be one of ${SEVERITIES.join(', ')}`);
  }
  const unknown = ids.filter((id) => !ruleIds.includes(id));
  if (unknown.length) throw new UsageError(`${file}: unknown rule id(s) ${unknown.join(', ')} (see domfleet lint --list-rules)`);
  if (policy.failOn !== undefined && !SEVERITIES.includes(policy.failOn as Severity)) throw new UsageError(`${file}: "lint.failOn" must be one of ${SEVERITIES.join(', ')}`);
  return policy as LintPolicy;
}
