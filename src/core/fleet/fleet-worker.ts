// Worker thread body for runFleet: builds the job once, says it is ready (or why it cannot be
// built), then answers chunks of files.
import { parentPort, workerData } from 'node:worker_threads';
import { createJob, type JobSpec } from './jobs.js';
import type { InventoryEntry } from '../read/inventory.js';
import { QueryError } from '../errors.js';

try {
  const job = await createJob(workerData as JobSpec);
  parentPort!.on('message', (msg: { id: number; entries: InventoryEntry[] }) => {
    parentPort!.postMessage({ id: msg.id, outcomes: job.run(msg.entries) });
  });
  parentPort!.postMessage({ ready: job.info ?? {} });
} catch (e) {
  // A query that does not compile is the user's mistake (exit 2 with its message), not a crash.
  parentPort!.postMessage({ fatal: (e as Error).message, queryError: e instanceof QueryError });
}
