// Runs a per-file job over a whole inventory: in this thread for small fleets, on worker threads
// for large ones (parsing is most of the cost and it parallelises cleanly), handing results back
// in input order as soon as each is ready so output streams and memory stays flat.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DiscoverOptions, InventoryEntry } from '../read/inventory.js';
import { QueryError } from '../errors.js';
import type { FileOutcome } from './outcome.js';
export type { FileOutcome } from './outcome.js';
import type { JobSpec } from './jobs.js';

/** Below this many files the ~90 ms start-up of a worker (WebAssembly, modules) costs more than it saves. */
const WORKER_THRESHOLD = 200;
const CHUNK = 64;
const IN_FLIGHT = 2;

export function defaultWorkers(files: number): number {
  if (files < WORKER_THRESHOLD) return 0;
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/** How runFleet runs a job: the public fleet options, and workers started ahead of time. */
export interface FleetOptions extends Pick<FleetInputOptions, 'workers' | 'onProgress'> {
  /** Workers started ahead of time (see startPool), used when the fleet turns out large enough. */
  pool?: WorkerPool;
}

/** What every library call over a fleet takes: where the files come from and how to run them. */
export interface FleetInputOptions extends DiscoverOptions {
  /** Worker threads to use; 0 runs everything in this thread. Default: by fleet size and cores. */
  workers?: number;
  /** Called as files are done (done of total), in input order. */
  onProgress?: (done: number, total: number) => void;
  /** Files larger than this many bytes are refused unread (default DEFAULT_MAX_FILE_SIZE, 10 MiB). */
  maxFileSize?: number;
}

export async function runFleet<R>(
  spec: JobSpec,
  entries: InventoryEntry[],
  emit: (outcome: FileOutcome<R>, index: number) => void,
  options: FleetOptions = {},
): Promise<void> {
  if (entries.length === 0) {
    // Nothing to parse (say, every file answered from the cache): load no parser at all.
    options.pool?.close();
    return;
  }
  const workers = options.workers ?? defaultWorkers(entries.length);
  if (workers === 0) {
    options.pool?.close();
    // Loaded here, not at the top: a fully cached run never needs the parser.
    const { createJob } = await import('./jobs.js');
    const job = await createJob(spec);
    try {
      for (let start = 0; start < entries.length; start += CHUNK) {
        const outcomes = job.run(entries.slice(start, start + CHUNK)) as FileOutcome<R>[];
        outcomes.forEach((o, k) => emit(o, start + k));
        options.onProgress?.(start + outcomes.length, entries.length);
      }
    } finally {
      job.dispose();
    }
    return;
  }
  const pool = options.pool ?? startPool(spec, workers);
  try {
    await pool.run(entries, emit, options.onProgress);
  } finally {
    pool.close();
  }
}

export interface WorkerPool {
  /** Resolves with the first worker's job info once its job is built; rejects if it cannot be. */
  ready: Promise<Record<string, unknown>>;
  run<R>(entries: InventoryEntry[], emit: (outcome: FileOutcome<R>, index: number) => void, onProgress?: (done: number, total: number) => void): Promise<void>;
  close(): void;
}

const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 16 };

/**
 * Starts worker threads now, so their start-up (loading WebAssembly, compiling the job) overlaps
 * with finding the files. Files are handed out in chunks on demand and results put back in order.
 */
export function startPool(spec: JobSpec, count: number): WorkerPool {
  const url = new URL('./fleet-worker.js', import.meta.url);
  // V8 lets a worker's heaps grow far past what it keeps alive before collecting: SaxonJS's
  // garbage took two rewrite workers to ~450 MiB on 2,000 files. These limits keep them lower; a
  // worker never needs more, since a file (MAX_ELEMENTS) and a batch (BATCH_TEXT in
  // rewrite-job.ts) are bounded.
  const workers = Array.from({ length: count }, () => new Worker(url, { workerData: spec, resourceLimits: WORKER_LIMITS }));
  type Startup = { ready: Record<string, unknown> } | { fatal: string; queryError: boolean };
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    for (const worker of workers) {
      worker.once('message', (msg: Startup) => {
        if ('ready' in msg) resolve(msg.ready);
        else reject(msg.queryError ? new QueryError(msg.fatal) : new Error(msg.fatal));
      });
      worker.once('error', reject);
    }
  });
  // Nobody may be waiting (a fleet small enough to run in this thread closes the pool unused).
  ready.catch(() => {});
  let closed = false;
  return {
    ready,
    close() {
      if (closed) return;
      closed = true;
      for (const w of workers) void w.terminate();
    },
    run<R>(entries: InventoryEntry[], emit: (outcome: FileOutcome<R>, index: number) => void, onProgress?: (done: number, total: number) => void) {
      const chunks = Math.ceil(entries.length / CHUNK);
      const pending = new Map<number, FileOutcome<R>[]>();
      let nextChunk = 0;
      let nextToEmit = 0;
      let done = 0;
      const flush = () => {
        while (pending.has(nextToEmit)) {
          const outcomes = pending.get(nextToEmit)!;
          pending.delete(nextToEmit);
          outcomes.forEach((o, k) => emit(o, nextToEmit * CHUNK + k));
          nextToEmit++;
        }
      };
      return new Promise<void>((resolve, reject) => {
        ready.catch(reject);
        if (chunks === 0) { resolve(); return; }
        let received = 0;
        for (const worker of workers) {
          const feed = () => {
            if (nextChunk >= chunks) return;
            const id = nextChunk++;
            worker.postMessage({ id, entries: entries.slice(id * CHUNK, (id + 1) * CHUNK) });
          };
          worker.on('message', (msg: { id: number; outcomes: FileOutcome<R>[] } | Startup) => {
            if (!('outcomes' in msg)) return;
            pending.set(msg.id, msg.outcomes);
            done += msg.outcomes.length;
            onProgress?.(done, entries.length);
            flush();
            if (++received === chunks) resolve();
            else feed();
          });
          worker.on('error', reject);
          // Two chunks in flight: a worker never waits for this thread to hand it the next one.
          for (let k = 0; k < IN_FLIGHT; k++) feed();
        }
      });
    },
  };
}
