// The per-file jobs runFleet can run, by name, so a worker thread can rebuild one from plain data.
import type { InventoryEntry } from './inventory.js';
import type { FileOutcome } from './fleet.js';
import { createQueryJob, type QueryJobSpec } from './query-job.js';

export type JobSpec = QueryJobSpec;

export interface Job {
  run(entry: InventoryEntry): FileOutcome;
  dispose(): void;
}

export function createJob(spec: JobSpec): Job {
  switch (spec.kind) {
    case 'query':
      return createQueryJob(spec);
  }
}
