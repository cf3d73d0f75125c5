// The per-file jobs runFleet can run, by name, so a worker thread can rebuild one from plain data.
// Each kind's module is loaded only when that kind runs: a worker answering a query then loads
// neither SaxonJS's glue nor the normalize/migrate/transform code (~40 ms of start-up each).
import type { InventoryEntry } from '../read/inventory.js';
import type { FileOutcome } from './outcome.js';
import type { QueryJobSpec } from '../query/query-job.js';
import type { InventoryJobSpec } from '../report/inventory-job.js';
import type { RewriteJobSpec } from '../rewrite/rewrite-job.js';
import type { ValidateJobSpec } from '../validate/validate-job.js';
import type { LintJobSpec } from '../lint/lint-job.js';

export type JobSpec = QueryJobSpec | RewriteJobSpec | InventoryJobSpec | ValidateJobSpec | LintJobSpec;

export interface Job {
  /** Processes a chunk of files; one outcome per entry, in order. */
  run(entries: InventoryEntry[]): FileOutcome[];
  dispose(): void;
  /** What the job learnt while being built (a query: the engine it chose). */
  info?: Record<string, unknown>;
}

export async function createJob(spec: JobSpec): Promise<Job> {
  switch (spec.kind) {
    case 'query': {
      const { createQueryJob } = await import('../query/query-job.js');
      const job = createQueryJob(spec);
      return { run: (entries) => entries.map((e) => job.run(e)), dispose: () => job.dispose(), info: { engine: job.engine } };
    }
    case 'normalize':
    case 'migrate': {
      const { createRewriteJob } = await import('../rewrite/rewrite-job.js');
      return createRewriteJob(spec);
    }
    case 'transform': {
      const { createTransformJob } = await import('../rewrite/rewrite-job.js');
      return createTransformJob(spec);
    }
    case 'inventory': {
      const { createInventoryJob } = await import('../report/inventory-job.js');
      return createInventoryJob(spec);
    }
    case 'validate': {
      const { createValidateJob } = await import('../validate/validate-job.js');
      return createValidateJob(spec);
    }
    case 'lint': {
      const { createLintJob } = await import('../lint/lint-job.js');
      return createLintJob(spec);
    }
  }
}
