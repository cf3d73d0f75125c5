// One file's outcome, as every per-file job reports it: a result, an input error, a non-domain
// root, or a bug in domfleet (an internal error). Kept apart from the fleet runner so that jobs
// and the runner do not import each other.
import type { InventoryEntry } from '../read/inventory.js';
import { DomfleetError, InputError, NotADomainError } from '../errors.js';

export interface FileOutcome<R = unknown> {
  path: string;
  host: string;
  result?: R;
  /**
   * The file could not be read, parsed or processed. `internal` marks a bug in domfleet rather
   * than a problem with the file (its stack travels along for --debug).
   */
  error?: { line: number | null; reason: string; internal?: { stack?: string } };
  /** Well-formed, but its root is not <domain>. */
  notDomain?: string;
  /** Read and parsed, but not quite as its author meant (an external entity not loaded …). */
  warnings?: string[];
}

/** Runs one file's work; `warn` attaches warnings to the outcome whether or not the work succeeds. */
export function outcomeOf<R>(entry: InventoryEntry, run: (warn: (warnings: string[]) => void) => R): FileOutcome<R> {
  let warnings: string[] | undefined;
  const warn = (w: string[]) => { if (w.length) warnings = [...(warnings ?? []), ...w]; };
  let outcome: FileOutcome<R>;
  try {
    outcome = { path: entry.path, host: entry.host, result: run(warn) };
  } catch (e) {
    if (e instanceof NotADomainError) outcome = { path: entry.path, host: entry.host, notDomain: e.rootName };
    else if (e instanceof InputError) outcome = { path: entry.path, host: entry.host, error: { line: e.line, reason: e.reason } };
    else if (e instanceof DomfleetError) outcome = { path: entry.path, host: entry.host, error: { line: null, reason: e.message } };
    // The operating system refused something (EIO, ENOMEM …): about this file, not a bug.
    else if (typeof (e as NodeJS.ErrnoException)?.syscall === 'string') outcome = { path: entry.path, host: entry.host, error: { line: null, reason: (e as Error).message } };
    else outcome = { path: entry.path, host: entry.host, error: { line: null, reason: String((e as Error)?.message ?? e), internal: { stack: (e as Error)?.stack } } };
  }
  if (warnings) outcome.warnings = warnings;
  return outcome;
}

