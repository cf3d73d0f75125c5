// domfleet normalize / diff without printing: inventory → worker fleet → ordered results.
import { discover } from './inventory.js';
import { runFleet, type FileOutcome, type FleetInputOptions } from './fleet.js';
import type { NormalizedFile, RewriteJobSpec } from './rewrite-job.js';
import type { MigrateOptions } from './migrate.js';
import type { TransformRun } from './transform.js';
import { normalizePrepared, prepare, type NormalizeOptions } from './normalize.js';
import { readBytes } from './parse.js';
import { rememberNormal } from './normal-cache.js';
import { structuredPatch, createTwoFilesPatch } from 'diff';

export interface NormalizeFleetOptions extends NormalizeOptions, FleetInputOptions {
  withOriginal?: boolean;
  /** Skip the stylesheet for files known to be normal (default true). */
  cache?: boolean;
}

export type NormalizeFileResult = FileOutcome<NormalizedFile> & { relative: string };

/** Runs a rewrite job (normalize or migrate) over an inventory, results in input order. */
export async function rewriteFleet(
  inputs: string[],
  spec: RewriteJobSpec,
  options: Omit<NormalizeFleetOptions, 'inactive'>,
  onFile: (result: NormalizeFileResult) => void,
): Promise<{ files: number; inputErrors: { path: string; reason: string }[] }> {
  const inventory = await discover(inputs, options);
  const entries = inventory.entries;
  const produced: string[] = [];
  await runFleet<NormalizedFile>(
    spec,
    entries,
    (outcome, i) => {
      if (outcome.result?.producedHash) produced.push(outcome.result.producedHash);
      onFile({ ...outcome, relative: entries[i].relative });
    },
    { workers: options.workers, onProgress: options.onProgress },
  );
  if (spec.useCache) rememberNormal(spec.options, produced);
  return { files: entries.length, inputErrors: inventory.errors.map((e) => ({ path: e.path, reason: e.reason })) };
}

export function normalizeFleet(inputs: string[], options: NormalizeFleetOptions, onFile: (result: NormalizeFileResult) => void) {
  return rewriteFleet(inputs, {
    kind: 'normalize', options: { inactive: Boolean(options.inactive) }, withOriginal: options.withOriginal, useCache: options.cache !== false,
  }, options, onFile);
}

export function transformFleet(inputs: string[], run: TransformRun, options: Omit<NormalizeFleetOptions, 'inactive' | 'cache'>, onFile: (result: NormalizeFileResult) => void) {
  return rewriteFleet(inputs, { kind: 'transform', options: run, withOriginal: options.withOriginal }, options, onFile);
}

export function migrateFleet(inputs: string[], migration: MigrateOptions, options: Omit<NormalizeFleetOptions, 'inactive' | 'cache'>, onFile: (result: NormalizeFileResult) => void) {
  return rewriteFleet(inputs, { kind: 'migrate', options: migration, withOriginal: options.withOriginal }, options, onFile);
}

/** A unified diff with ---/+++ headers only (jsdiff adds Index:/==== lines of its own). */
export function unifiedPatch(aName: string, bName: string, a: string, b: string): string {
  return createTwoFilesPatch(aName, bName, a, b, '', '', { context: 3 }).replace(/^(Index: .*\n)?=+\n/, '');
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

