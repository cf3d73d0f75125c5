// domfleet query, without any printing: inventory → cache → fleet of parses → ordered results.
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { discover, mayBeGlob } from '../read/inventory.js';
import { runFleet, startPool, defaultWorkers, type FileOutcome, type FleetInputOptions } from '../fleet/fleet.js';
import { ResultCache, cacheNotice, cacheProblem, contentKey, fileStamp } from '../fleet/cache.js';
import type { EngineChoice, Engine, QuerySpec } from '../engines/compiled-query.js';
import type { FileMatches } from './query-job.js';
import { loadSavedQuery, isSavedQueryName } from './saved-queries.js';
import { VERSION } from '../version.js';
import { planFor } from '../engines/plans.js';

export interface QueryOptions extends FleetInputOptions {
  params?: Record<string, string>;
  namespaces?: Record<string, string>;
  engine?: EngineChoice;
  withXml?: boolean;
  /** Use the result cache (default true). */
  cache?: boolean;
  noPrefilter?: boolean;
}

export type QueryFileResult = FileOutcome<FileMatches>;

type CachedOutcome = Omit<QueryFileResult, 'path' | 'host'>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

function isItem(v: unknown): boolean {
  if (!isRecord(v)) return false;
  const valueOk = typeof v.value === 'string' || (isRecord(v.value) && Object.values(v.value).every((s) => typeof s === 'string'));
  return valueOk && (v.line === undefined || Number.isInteger(v.line)) && (v.xml === undefined || typeof v.xml === 'string');
}

/** A cache entry read back is used only if it has exactly the shape this version writes. */
function isCachedOutcome(v: unknown): v is CachedOutcome {
  if (!isRecord(v)) return false;
  if (v.warnings !== undefined && !isStrings(v.warnings)) return false;
  const kinds = [v.result, v.error, v.notDomain].filter((x) => x !== undefined).length;
  if (kinds !== 1) return false;
  if (v.notDomain !== undefined) return typeof v.notDomain === 'string';
  if (v.error !== undefined) return isRecord(v.error) && typeof v.error.reason === 'string' && (v.error.line === null || Number.isInteger(v.error.line));
  const r = v.result;
  return isRecord(r) && (r.domain === undefined || typeof r.domain === 'string') && Array.isArray(r.items) && r.items.every(isItem);
}

export interface QuerySummary {
  engine: Engine;
  files: number;
  /** Inputs that named nothing (missing file, empty glob). */
  inputErrors: { path: string; reason: string }[];
}

function looksLikeAFleet(inputs: string[]): boolean {
  return inputs.some((i) => {
    if (i === '-') return true;
    try {
      return statSync(i).isDirectory();
    } catch {
      return mayBeGlob(i);
    }
  });
}

/**
 * Resolves a saved query name to its expression, with its file as the base of relative URIs
 * (json-doc('../stylesheets/lib/units.json')); anything else is taken as XPath.
 */
export function resolveExpression(exprOrName: string): Pick<QuerySpec, 'expression' | 'baseURI'> {
  if (!isSavedQueryName(exprOrName)) return { expression: exprOrName };
  const saved = loadSavedQuery(exprOrName);
  return { expression: saved.expression, baseURI: pathToFileURL(saved.file).href };
}

/**
 * Runs the query and hands each file's outcome to `onFile` in input order, as soon as it and all
 * files before it are done.
 */
export async function queryFleet(
  exprOrName: string,
  inputs: string[],
  options: QueryOptions,
  onFile: (result: QueryFileResult) => void,
): Promise<QuerySummary> {
  // bridged-nic for bridged-nics is valid XPath (an element of that name) and would quietly
  // match nothing: say so.
  if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(exprOrName) && !isSavedQueryName(exprOrName)) {
    options.onNotice?.(`no saved query '${exprOrName}': read as XPath, the elements of that name (domfleet queries lists the saved ones)`);
  }
  const spec: QuerySpec = {
    ...resolveExpression(exprOrName),
    params: options.params,
    namespaces: options.namespaces,
    engine: options.engine,
    withXml: options.withXml,
  };
  // Planned here, once: the workers get the plan and never load the XPath parser.
  spec.plan = planFor(spec.expression);
  let useCache = options.cache !== false;
  const problem = useCache ? cacheProblem() : null;
  if (problem) {
    options.onNotice?.(cacheNotice(problem));
    useCache = false;
  }
  const cache = useCache ? new ResultCache<CachedOutcome>('query', contentKey(spec, options.noPrefilter ?? false, options.maxFileSize ?? null), VERSION, isCachedOutcome) : null;
  const jobSpec = { kind: 'query' as const, query: spec, noPrefilter: options.noPrefilter, maxFileSize: options.maxFileSize };
  // A cold run over folders is likely a large one: start the workers first, so their start-up
  // overlaps with compiling the query here and finding the files. A warm cache means few
  // parses: don't.
  let pool = options.workers !== 0 && !cache?.warm && looksLikeAFleet(inputs)
    ? startPool(jobSpec, options.workers ?? defaultWorkers(Infinity))
    : undefined;
  // A bad expression is a usage error, found before any file is read: compiled here, or by the
  // pool's workers (then this thread never loads the parser). A warm cache proves this exact
  // query compiled before.
  let engine = cache?.meta.engine as Engine | undefined;
  const compileHere = async () => {
    if (engine) return;
    const { compileQuery } = await import('../engines/compiled-query.js');
    const probe = compileQuery(spec);
    engine = probe.engine;
    probe.dispose();
  };
  if (!pool) await compileHere();

  let inventory;
  try {
    inventory = await discover(inputs, options);
  } catch (e) {
    pool?.close();
    throw e;
  }
  const entries = inventory.entries;

  const ready = new Map<number, QueryFileResult>();
  let cursor = 0;
  const release = () => {
    while (ready.has(cursor)) {
      onFile(ready.get(cursor)!);
      ready.delete(cursor);
      cursor++;
    }
  };

  // Per-file bookkeeping is kept small: at 100,000 files every retained byte counts.
  const stamps: (string | null)[] | null = cache ? new Array(entries.length).fill(null) : null;
  const misses: number[] = [];
  entries.forEach((entry, index) => {
    if (!cache || !stamps) {
      misses.push(index);
      return;
    }
    let stamp: string | null = null;
    try {
      stamp = fileStamp(statSync(entry.path));
    } catch {
      // Let the job report why it cannot be read.
    }
    stamps[index] = stamp;
    const hit = stamp ? cache.get(entry.path, stamp) : undefined;
    if (hit) ready.set(index, { path: entry.path, host: entry.host, ...hit });
    else misses.push(index);
  });

  let hits = entries.length - misses.length;
  const workers = options.workers ?? defaultWorkers(misses.length);
  if (pool && workers === 0) {
    pool.close();
    pool = undefined;
  }
  try {
    if (pool) engine ??= (await pool.ready).engine as Engine;
    else await compileHere();
  } catch (e) {
    pool?.close();
    throw e;
  }
  if (!cache?.meta.engine && engine) cache?.setMeta('engine', engine);
  release();
  await runFleet<FileMatches>(
    jobSpec,
    misses.length === entries.length ? entries : misses.map((index) => entries[index]),
    (outcome, i) => {
      const index = misses[i];
      const stamp = stamps?.[index];
      if (cache && stamp) {
        const { path: _path, host: _host, ...rest } = outcome;
        cache.set(outcome.path, stamp, rest);
      }
      ready.set(index, outcome);
      release();
    },
    {
      workers,
      pool,
      onProgress: options.onProgress && ((done) => options.onProgress!(hits + done, entries.length)),
    },
  );
  hits = 0;
  release();
  cache?.save();
  return {
    engine: engine!,
    files: entries.length,
    inputErrors: inventory.errors.map((e) => ({ path: e.path, reason: e.reason })),
  };
}

export interface QueryResult extends QuerySummary {
  results: QueryFileResult[];
}

/** Library entry point: every file's outcome, collected. */
export async function query(exprOrName: string, inputs: string | string[], options: QueryOptions = {}): Promise<QueryResult> {
  const results: QueryFileResult[] = [];
  const summary = await queryFleet(exprOrName, Array.isArray(inputs) ? inputs : [inputs], options, (r) => results.push(r));
  return { ...summary, results };
}
