// The per-file jobs runFleet can run, by name, so a worker thread can rebuild one from plain data.
import type { InventoryEntry } from './inventory.js';
import type { FileOutcome } from './fleet.js';
import { createQueryJob, type QueryJobSpec } from './query-job.js';
import { createInventoryJob, type InventoryJobSpec } from './inventory-job.js';
import { createRewriteJob, createTransformJob, type RewriteJobSpec } from './rewrite-job.js';

export type JobSpec = QueryJobSpec | RewriteJobSpec | InventoryJobSpec;

export interface Job {
  /** Processes a chunk of files; one outcome per entry, in order. */
  run(entries: InventoryEntry[]): FileOutcome[];
  dispose(): void;
}

export function createJob(spec: JobSpec): Job {
  switch (spec.kind) {
    case 'query': {
      const job = createQueryJob(spec);
      return { run: (entries) => entries.map((e) => job.run(e)), dispose: () => job.dispose() };
    }
    case 'normalize':
    case 'migrate':
      return createRewriteJob(spec);
    case 'transform':
      return createTransformJob(spec);
    case 'inventory':
      return createInventoryJob();
  }
}
