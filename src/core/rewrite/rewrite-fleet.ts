// domfleet normalize / diff without printing: inventory → worker fleet → ordered results.
import { discover, type InventoryEntry } from '../read/inventory.js';
import { removeStaleScratch } from '../write/write.js';
import { cacheNotice, cacheProblem } from '../fleet/cache.js';
import { runFleet, type FileOutcome, type FleetInputOptions } from '../fleet/fleet.js';
import type { NormalizedFile, RewriteJobSpec } from './rewrite-job.js';
import type { MigrateOptions } from '../migrate/migrate.js';
import { transformRun, type TransformRun } from '../transform/transform.js';
import { normalizePrepared, prepare, type NormalizeOptions } from '../normalize/normalize.js';
import { readBytes } from '../read/parse.js';
import { rememberNormal } from '../normalize/normal-cache.js';
import { structuredPatch, createTwoFilesPatch } from 'diff';

export interface NormalizeFleetOptions extends NormalizeOptions, FleetInputOptions {
  withOriginal?: boolean;
  /** Hash each file's bytes as read, for writers that must not overwrite a newer version (replaceFile). */
  withSourceHash?: boolean;
  /** Remove temporary and lock files that killed runs left in the input folders. */
  removeStaleScratch?: boolean;
  /** Skip the stylesheet for files known to be normal (default true). */
  cache?: boolean;
}

export type NormalizeFileResult = FileOutcome<NormalizedFile> & Pick<InventoryEntry, 'relative' | 'link' | 'data' | 'live'>;

/**
 * What onFile answers: 'retry' when the file changed on disk since it was read (the work is then
 * redone on its new content, after the rest of the fleet).
 */
export type FileVerdict = void | 'retry';

/** How often a file that keeps changing under a run is redone before it is given up. */
const RETRIES = 3;

/** Runs a rewrite job (normalize, migrate or transform) over an inventory, results in input order. */
export async function rewriteFleet(
  inputs: string[],
  spec: RewriteJobSpec,
  options: Omit<NormalizeFleetOptions, 'inactive'>,
  onFile: (result: NormalizeFileResult) => FileVerdict,
): Promise<FleetSummary> {
  const inventory = await discover(inputs, options);
  const entries = inventory.entries;
  if (options.removeStaleScratch) removeStaleScratch(inventory.staleScratch);
  const produced: string[] = [];
  let again: InventoryEntry[] = [];
  const handle = (outcome: FileOutcome<NormalizedFile>, entry: InventoryEntry) => {
    if (outcome.result?.producedHash) produced.push(outcome.result.producedHash);
    const { relative, link, data, live } = entry;
    if (onFile({ ...outcome, relative, link, data, live }) === 'retry') again.push(entry);
  };
  spec = { ...spec, withSourceHash: options.withSourceHash, maxFileSize: options.maxFileSize };
  const problem = spec.useCache ? cacheProblem() : null;
  if (problem) {
    options.onNotice?.(cacheNotice(problem));
    spec.useCache = false;
  }
  await runFleet<NormalizedFile>(spec, entries, (outcome, i) => handle(outcome, entries[i]),
    { workers: options.workers, onProgress: options.onProgress });
  for (let round = 0; again.length && round < RETRIES; round++) {
    const redo = again;
    again = [];
    await runFleet<NormalizedFile>(spec, redo, (outcome, i) => {
      outcome.warnings = ['changed on disk during the run: redone on its new content', ...(outcome.warnings ?? [])];
      handle(outcome, redo[i]);
    }, { workers: 0 });
  }
  for (const entry of again) {
    onFile({ path: entry.path, host: entry.host, relative: entry.relative, error: { line: null, reason: `kept changing on disk during the run (${RETRIES + 1} tries): not rewritten` } });
  }
  if (spec.useCache) rememberNormal(spec.options, produced);
  return { files: entries.length, inputErrors: inventory.errors.map((e) => ({ path: e.path, reason: e.reason })) };
}

export interface FleetSummary {
  files: number;
  /** Inputs that named nothing usable (missing file, empty folder, unreadable folder, special file). */
  inputErrors: { path: string; reason: string }[];
}

export function normalizeFleet(inputs: string[], options: NormalizeFleetOptions, onFile: (result: NormalizeFileResult) => FileVerdict) {
  return rewriteFleet(inputs, {
    kind: 'normalize', options: { inactive: Boolean(options.inactive) }, withOriginal: options.withOriginal, useCache: options.cache !== false,
  }, options, onFile);
}

/** Which transform a fleet call applies: a built-in's name or a stylesheet file, and its parameters. */
export interface TransformSpec {
  transform: string;
  params?: Record<string, string>;
  /** Write the stylesheet's own serialization instead of libvirt's normal form. */
  noNormalize?: boolean;
}

/** Applies a transform to every file. */
export function transformFleet(inputs: string[], spec: TransformSpec, options: Omit<NormalizeFleetOptions, 'inactive' | 'cache'>, onFile: (result: NormalizeFileResult) => FileVerdict) {
  const { info: _info, ...run } = transformRun(spec.transform, spec.params ?? {}, spec.noNormalize);
  return transformFleetWith(inputs, run, options, onFile);
}

/** transformFleet for a transform already resolved (the CLI reports how it was compiled first). */
export function transformFleetWith(inputs: string[], run: TransformRun, options: Omit<NormalizeFleetOptions, 'inactive' | 'cache'>, onFile: (result: NormalizeFileResult) => FileVerdict) {
  return rewriteFleet(inputs, { kind: 'transform', options: run, withOriginal: options.withOriginal }, options, onFile);
}

export function migrateFleet(inputs: string[], migration: MigrateOptions, options: Omit<NormalizeFleetOptions, 'inactive' | 'cache'>, onFile: (result: NormalizeFileResult) => FileVerdict) {
  return rewriteFleet(inputs, { kind: 'migrate', options: migration, withOriginal: options.withOriginal }, options, onFile);
}

/** A unified diff with ---/+++ headers only (jsdiff adds Index:/==== lines of its own). */
export function unifiedPatch(aName: string, bName: string, a: string, b: string, aHeader = '', bHeader = ''): string {
  return createTwoFilesPatch(aName, bName, a, b, aHeader, bHeader, { context: 3 }).replace(/^(Index: .*\n)?=+\n/, '');
}

export interface DiffResult {
  same: boolean;
  /** Unified diff of the two normalized definitions ('' when they are the same). */
  patch: string;
  hunks: number;
}

/** Compares two definitions after normalizing both. Throws InputError for a bad file. */
export function diffDefinitions(a: { path: string; bytes?: Uint8Array }, b: { path: string; bytes?: Uint8Array }, options: NormalizeOptions = {}): DiffResult {
  const docs = [a, b].map((f) => prepare(f.path, f.bytes ?? readBytes(f.path)));
  const [na, nb] = normalizePrepared(docs, options);
  if (na === nb) return { same: true, patch: '', hunks: 0 };
  return {
    same: false,
    patch: unifiedPatch(a.path, b.path, na, nb),
    hunks: structuredPatch(a.path, b.path, na, nb).hunks.length,
  };
}

