// domfleet lint without printing: which rules run (the rule modules, the team's policy file,
// the caller's choices), every file linted in workers, then the cross-file rules joined from the
// facts the files gave (a MAC, a UUID, a name, a disk source each: never a document), so a
// fleet of 100k files needs memory for its facts, not for its documents.
import { dirname } from 'node:path';
import { discover } from '../read/inventory.js';
import { runFleet, type FileOutcome, type FleetInputOptions } from '../fleet/fleet.js';
import { UsageError } from '../errors.js';
import { schemaDir } from '../validate/schema.js';
import { findConfig, readPolicy, type LintPolicy } from './config.js';
import { lintRules, SEVERITIES, type LintRule, type Severity } from './rules.js';
import type { FileLint, LintJobSpec } from './lint-job.js';

export type { Severity, LintPolicy, FileLint };

/**
 * The policy's settings, given by the caller (they win over the policy file's: disable and
 * enable add to it, the others replace it), and how to run.
 */
export interface LintOptions extends FleetInputOptions, LintPolicy {
  /** Run only these rules (default-off rules included). */
  only?: string[];
  /** A libvirt schema folder for the schema rule (default /usr/share/libvirt/schemas). */
  schemaDir?: string;
  /** A policy file to use, or false to ignore .domfleet.json files; default: the nearest one. */
  config?: string | false;
}

/** One finding: a rule, where, and what. `line` is null where the file has no line for it. */
export interface LintFinding {
  rule: string;
  severity: Severity;
  file: string;
  line: number | null;
  host: string;
  domain: string;
  message: string;
}

/** A rule as this run uses it. */
export interface ActiveRule {
  id: string;
  severity: Severity;
  summary: string;
}

export interface LintResult {
  findings: LintFinding[];
  /** The rules that ran, with the severities they ran at. */
  rules: ActiveRule[];
  /** Rules that were asked for but could not run, and why (unknown-bridge without bridges). */
  skipped: { id: string; reason: string }[];
  failOn: Severity;
  /** Some finding reaches failOn: the run exits 1. */
  failed: boolean;
  /** The policy file used, if any. */
  config: string | null;
  files: number;
  /** Inputs that named nothing usable (a missing file, a host that did not answer). */
  inputErrors: { path: string; reason: string }[];
  /** Files that could not be read as domains (malformed, binary, too large …): not linted. */
  fileErrors: { path: string; line: number | null; reason: string }[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

/** Whether a severity reaches a threshold (error reaches warning). */
export function reaches(severity: Severity, threshold: Severity): boolean {
  return RANK[severity] >= RANK[threshold];
}

export interface LintPlan {
  rules: (LintRule & { severity: Severity })[];
  skipped: { id: string; reason: string }[];
  bridges: string[];
  sharedStorage: string[];
  failOn: Severity;
  schemaDir?: string;
  config: string | null;
}

/** Which rules run and how, from the rule modules, the policy file and the options. */
export function lintPlan(inputs: string[], options: LintOptions = {}): LintPlan {
  const all = lintRules();
  const ids = all.map((r) => r.id);
  for (const [name, list] of [['only', options.only], ['disable', options.disable], ['enable', options.enable], ['severity', Object.keys(options.severity ?? {})]] as const) {
    const unknown = (list ?? []).filter((id) => !ids.includes(id));
    if (unknown.length) throw new UsageError(`--${name}: unknown rule id(s) ${unknown.join(', ')} (known: ${ids.join(', ')})`);
  }
  for (const [id, level] of Object.entries(options.severity ?? {})) {
    if (!SEVERITIES.includes(level)) throw new UsageError(`severity of ${id} must be one of ${SEVERITIES.join(', ')}`);
  }
  if (options.failOn !== undefined && !SEVERITIES.includes(options.failOn)) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  const config = options.config === false ? null : options.config ?? findConfig(inputs);
  const policy: LintPolicy = config ? readPolicy(config, ids) : {};
  // The caller's --enable wins over the policy's disable, and its --disable over everything.
  const disabled = new Set([...(policy.disable ?? []).filter((id) => !options.enable?.includes(id)), ...(options.disable ?? [])]);
  const enabled = new Set([...(policy.enable ?? []).filter((id) => !options.disable?.includes(id)), ...(options.enable ?? [])]);
  const bridges = (options.bridges ?? policy.bridges ?? []).map((b) => b.trim()).filter(Boolean);
  const severity = { ...policy.severity, ...options.severity };
  const skipped: LintPlan['skipped'] = [];
  const chosen = all.filter((r) => {
    if (options.only) return options.only.includes(r.id);
    return !disabled.has(r.id) && (r.enabledByDefault || enabled.has(r.id));
  }).filter((r) => {
    if (r.needs === 'bridges' && !bridges.length) {
      skipped.push({ id: r.id, reason: 'no known bridges given (--bridges or "bridges" in the config)' });
      return false;
    }
    return true;
  });
  if (options.only && skipped.length) throw new UsageError(`${skipped[0].id} cannot run: ${skipped[0].reason}`);
  const rules = chosen.map((r) => ({ ...r, severity: severity[r.id] ?? r.severity }));
  const sharedStorage = (options.sharedStorage ?? policy.sharedStorage ?? []).map((p) => p.replace(/\/*$/, '/')).filter((p) => p !== '/');
  return {
    rules,
    skipped,
    bridges,
    sharedStorage,
    failOn: options.failOn ?? policy.failOn ?? 'warning',
    schemaDir: rules.some((r) => r.check === 'schema') ? schemaDir(options.schemaDir) : undefined,
    config,
  };
}

interface FactUse { file: number; line: number | null; shown: string | null; exempt: boolean }

/**
 * Joins the facts of the cross-file rules: a key that two or more uses share, at least one of
 * them not exempt, gives each non-exempt use a finding naming the others.
 */
class FactJoin {
  private groups = new Map<string, FactUse[]>();

  constructor(private readonly rules: Map<string, LintPlan['rules'][number]>, private readonly sharedStorage: string[]) {}

  /** `host`: the file's host label, or, for files with none, its folder (one folder, one host). */
  add(file: number, host: string, facts: FileLint['facts']): void {
    for (const f of facts) {
      const rule = this.rules.get(f.rule);
      if (!rule) continue;
      const shared = f.storage !== null && this.sharedStorage.some((prefix) => f.storage!.startsWith(prefix));
      const scope = shared ? 'fleet' : f.scope ?? rule.join;
      const group = `${f.rule}\u0000${scope === 'host' ? host : ''}\u0000${f.key}`;
      const uses = this.groups.get(group);
      const use: FactUse = { file, line: f.line, shown: f.shown, exempt: f.exempt };
      if (uses) uses.push(use); else this.groups.set(group, [use]);
    }
  }

  findings(files: { path: string; host: string; domain: string }[]): (LintFinding & { order: number })[] {
    const out: (LintFinding & { order: number })[] = [];
    const where = (u: FactUse, from: number) => {
      const f = files[u.file];
      const line = u.line === null ? '' : `:${u.line}`;
      return u.file === from ? `this domain (line ${u.line ?? '?'})` : `${f.host ? `${f.host}/` : ''}${f.domain} (${f.path}${line})`;
    };
    for (const [group, uses] of this.groups) {
      if (uses.length < 2 || uses.every((u) => u.exempt)) continue;
      const [ruleId, , key] = group.split('\u0000');
      const rule = this.rules.get(ruleId)!;
      for (const use of uses) {
        if (use.exempt) continue;
        const others = uses.filter((u) => u !== use).map((u) => where(u, use.file));
        const listed = others.length > 3 ? `${others.slice(0, 3).join(', ')} and ${others.length - 3} more` : others.join(', ');
        const file = files[use.file];
        out.push({
          rule: ruleId, severity: rule.severity, file: file.path, line: use.line, host: file.host, domain: file.domain,
          message: (rule.joinMessage ?? '{shown}: also in {others}').replace('{shown}', use.shown ?? key).replace('{others}', listed),
          order: use.file,
        });
      }
    }
    return out;
  }
}

/**
 * Gathers each file's lint as the fleet is read, and gives every finding once all files are in:
 * the one place lint and report turn per-file results into findings, so they cannot disagree.
 */
export class LintCollector {
  private readonly byId: Map<string, LintPlan['rules'][number]>;
  private readonly join: FactJoin;
  private readonly files: { path: string; host: string; domain: string }[] = [];
  private readonly own: (LintFinding & { order: number })[] = [];

  constructor(readonly plan: LintPlan) {
    this.byId = new Map(plan.rules.map((r) => [r.id, r]));
    this.join = new FactJoin(this.byId, plan.sharedStorage);
  }

  /** What the per-file job needs to know. */
  jobSpec(maxFileSize?: number): LintJobSpec {
    return { kind: 'lint', rules: this.plan.rules.map((r) => r.id), bridges: this.plan.bridges, schemaDir: this.plan.schemaDir, maxFileSize };
  }

  add(path: string, host: string, lint: FileLint): void {
    const file = this.files.push({ path, host, domain: lint.domain }) - 1;
    for (const f of lint.findings) {
      this.own.push({ rule: f.rule, severity: this.byId.get(f.rule)!.severity, file: path, line: f.line, host, domain: lint.domain, message: f.message, order: file });
    }
    this.join.add(file, host || dirname(path), lint.facts);
  }

  /** Every finding, ordered by file (as read) and line. */
  findings(): LintFinding[] {
    const all = [...this.own, ...this.join.findings(this.files)];
    all.sort((a, b) => a.order - b.order || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule));
    return all.map(({ order: _order, ...f }) => f);
  }
}

/**
 * Lints every file; each file's outcome goes to `onFile` in input order (for its input errors),
 * and the findings, per-file and cross-file together, come back ordered by file and line.
 */
export async function lintFleet(inputs: string[], options: LintOptions, onFile: (outcome: FileOutcome<FileLint>) => void = () => {}): Promise<LintResult> {
  const plan = lintPlan(inputs, options);
  const found = await discover(inputs, options);
  const collector = new LintCollector(plan);
  const fileErrors: LintResult['fileErrors'] = [];
  await runFleet<FileLint>(collector.jobSpec(options.maxFileSize), found.entries, (outcome) => {
    onFile(outcome);
    if (outcome.error) fileErrors.push({ path: outcome.path, line: outcome.error.line, reason: outcome.error.reason });
    if (outcome.result) collector.add(outcome.path, outcome.host, outcome.result);
  }, { workers: options.workers, onProgress: options.onProgress });
  const findings = collector.findings();
  return {
    findings,
    rules: plan.rules.map((r) => ({ id: r.id, severity: r.severity, summary: r.summary })),
    skipped: plan.skipped,
    failOn: plan.failOn,
    failed: findings.some((f) => reaches(f.severity, plan.failOn)),
    config: plan.config,
    files: found.entries.length,
    inputErrors: found.errors.map((e) => ({ path: e.path, reason: e.reason })),
    fileErrors,
  };
}

/** Library entry point: lints a fleet (files, folders, globs) and returns the findings. */
export async function lint(inputs: string | string[], options: LintOptions = {}): Promise<LintResult> {
  return lintFleet(Array.isArray(inputs) ? inputs : [inputs], options);
}

