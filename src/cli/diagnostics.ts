// How every command reports per-file problems and progress on stderr, so all commands read alike.
import { createRequire } from 'node:module';
import type { FileOutcome } from '../core/fleet.js';
import type { Io } from './command.js';

export interface Diagnostics {
  /** Reports a file's problem, if any. Returns true when the file was good. */
  check(outcome: FileOutcome): boolean;
  inputError(path: string, reason: string): void;
  /** True once anything counts as an input error (exit 2). */
  readonly failed: boolean;
  progress?: (done: number, total: number) => void;
  finish(): void;
}

export function diagnostics(io: Io, options: { strict?: boolean; quiet?: boolean }): Diagnostics {
  let failed = false;
  let bar: { start(t: number, v: number): void; update(v: number): void; setTotal(t: number): void; stop(): void } | null = null;
  const state = {
    get failed() { return failed; },
    check(o: FileOutcome) {
      if (o.error) {
        failed = true;
        io.stderr.write(o.error.line === null ? `${o.path}: ${o.error.reason}\n` : `${o.path}:${o.error.line}: ${o.error.reason}\n`);
        return false;
      }
      if (o.notDomain !== undefined) {
        if (options.strict) failed = true;
        if (options.strict || !options.quiet) {
          io.stderr.write(`${o.path}: ${options.strict ? 'error' : 'skipped'}: not a domain definition (root element is <${o.notDomain}>)\n`);
        }
        return false;
      }
      return true;
    },
    inputError(path: string, reason: string) {
      failed = true;
      io.stderr.write(`${path}: ${reason}\n`);
    },
    progress: undefined as Diagnostics['progress'],
    finish() { bar?.stop(); },
  };
  // A bar only for a person watching a terminal, and only once a run is long enough to need one.
  if (io.stderr.isTTY && !options.quiet) {
    state.progress = (done, total) => {
      if (!bar && total >= 500) {
        const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress');
        bar = new SingleBar({ stream: io.stderr, clearOnComplete: true, hideCursor: true, format: 'domfleet [{bar}] {value}/{total} files' }, Presets.shades_classic);
        bar!.start(total, done);
      }
      bar?.update(done);
    };
  }
  return state;
}
