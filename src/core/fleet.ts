// Runs a per-file job over a whole inventory: in this thread for small fleets, on worker threads
// for large ones (parsing is most of the cost and it parallelises cleanly), handing results back
// in input order as soon as each is ready so output streams and memory stays flat.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { InventoryEntry } from './inventory.js';
import { InputError, NotADomainError } from './parse.js';
import { createJob, type JobSpec } from './jobs.js';

export interface FileOutcome<R = unknown> {
  path: string;
  host: string;
  result?: R;
  /** Bad input: the file could not be read or parsed. */
  error?: { line: number | null; reason: string };
  /** Well-formed, but its root is not <domain>. */
  notDomain?: string;
}

export interface FleetOptions {
  /** Worker threads to use; 0 runs everything in this thread. Default: by fleet size and cores. */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Below this many files the ~60 ms start-up of a worker costs more than it saves. */
const WORKER_THRESHOLD = 200;
const CHUNK = 64;

export function outcomeOf<R>(entry: InventoryEntry, run: () => R): FileOutcome<R> {
  try {
    return { path: entry.path, host: entry.host, result: run() };
  } catch (e) {
    if (e instanceof NotADomainError) return { path: entry.path, host: entry.host, notDomain: e.rootName };
    if (e instanceof InputError) return { path: entry.path, host: entry.host, error: { line: e.line, reason: e.reason } };
    return { path: entry.path, host: entry.host, error: { line: null, reason: (e as Error).message } };
  }
}

export function defaultWorkers(files: number): number {
  if (files < WORKER_THRESHOLD) return 0;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export async function runFleet<R>(
  spec: JobSpec,
  entries: InventoryEntry[],
  emit: (outcome: FileOutcome<R>, index: number) => void,
  options: FleetOptions = {},
): Promise<void> {
  const workers = options.workers ?? defaultWorkers(entries.length);
  if (workers === 0 || entries.length === 0) {
    const job = createJob(spec);
    try {
      entries.forEach((entry, i) => {
        emit(job.run(entry) as FileOutcome<R>, i);
        options.onProgress?.(i + 1, entries.length);
      });
    } finally {
      job.dispose();
    }
    return;
  }
  await runOnWorkers(spec, entries, emit, Math.min(workers, Math.ceil(entries.length / CHUNK)), options);
}

async function runOnWorkers<R>(
  spec: JobSpec,
  entries: InventoryEntry[],
  emit: (outcome: FileOutcome<R>, index: number) => void,
  count: number,
  options: FleetOptions,
): Promise<void> {
  const pending = new Map<number, FileOutcome<R>[]>();
  let nextChunk = 0;
  let nextToEmit = 0;
  let done = 0;
  const chunks = Math.ceil(entries.length / CHUNK);
  const flush = () => {
    while (pending.has(nextToEmit)) {
      const outcomes = pending.get(nextToEmit)!;
      pending.delete(nextToEmit);
      outcomes.forEach((o, k) => emit(o, nextToEmit * CHUNK + k));
      nextToEmit++;
    }
  };
  const url = new URL('./fleet-worker.js', import.meta.url);
  await Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
    const worker = new Worker(url, { workerData: spec });
    const feed = () => {
      if (nextChunk >= chunks) { void worker.terminate(); resolve(); return; }
      const id = nextChunk++;
      worker.postMessage({ id, entries: entries.slice(id * CHUNK, (id + 1) * CHUNK) });
    };
    worker.on('message', (msg: { id: number; outcomes: FileOutcome<R>[] } | { fatal: string }) => {
      if ('fatal' in msg) { reject(new Error(msg.fatal)); void worker.terminate(); return; }
      pending.set(msg.id, msg.outcomes);
      done += msg.outcomes.length;
      options.onProgress?.(done, entries.length);
      flush();
      feed();
    });
    worker.on('error', reject);
    feed();
  })));
  flush();
}
