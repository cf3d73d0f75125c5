// Worker thread body for runFleet: builds the job once, then answers chunks of files.
import { parentPort, workerData } from 'node:worker_threads';
import { createJob, type JobSpec } from './jobs.js';
import type { InventoryEntry } from './inventory.js';

try {
  const job = createJob(workerData as JobSpec);
  parentPort!.on('message', (msg: { id: number; entries: InventoryEntry[] }) => {
    parentPort!.postMessage({ id: msg.id, outcomes: job.run(msg.entries) });
  });
} catch (e) {
  parentPort!.postMessage({ fatal: (e as Error).message });
}
