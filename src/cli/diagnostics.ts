// How every command reports per-file problems, notices and progress on stderr, so all commands
// read alike: one line per file, `PATH:LINE: reason`, with the path made printable.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { FileOutcome } from '../core/fleet/fleet.js';
import type { Io } from './command.js';
import { printable } from './printable.js';

export interface Diagnostics {
  /** Reports a file's problem, if any. Returns true when the file was good. */
  check(outcome: FileOutcome): boolean;
  /** A problem that makes the run's exit status 2. */
  inputError(path: string, reason: string): void;
  /** Something the user should know about one file that does not fail the run. */
  notice(path: string, message: string): void;
  /** Something about the run as a whole (a cache that cannot be used …). */
  runNotice(message: string): void;
  /** True once anything counts as an input error (exit 2). */
  readonly failed: boolean;
  progress?: (done: number, total: number) => void;
  finish(): void;
}

export function diagnostics(io: Io, options: { strict?: boolean; quiet?: boolean }): Diagnostics {
  let failed = false;
  let bar: { start(t: number, v: number): void; update(v: number): void; setTotal(t: number): void; stop(): void } | null = null;
  // Non-domain files (libvirt's networks/, storage/ …) are summarised per folder at the end,
  // not reported one by one.
  const notDomains = new Map<string, { count: number; roots: Set<string>; first: string }>();
  const line = (text: string) => { io.stderr.write(text); };
  const state: Diagnostics = {
    get failed() { return failed; },
    check(o: FileOutcome) {
      if (o.warnings && !options.quiet) for (const w of o.warnings) line(`${printable(o.path)}: warning: ${w}\n`);
      if (o.error?.internal) {
        failed = true;
        line(`${printable(o.path)}: internal error: ${o.error.reason}\n`);
        if (io.debug && o.error.internal.stack) line(`${o.error.internal.stack}\n`);
        return false;
      }
      if (o.error) {
        failed = true;
        line(o.error.line === null ? `${printable(o.path)}: ${printable(o.error.reason)}\n` : `${printable(o.path)}:${o.error.line}: ${printable(o.error.reason)}\n`);
        return false;
      }
      if (o.notDomain !== undefined) {
        if (options.strict) {
          failed = true;
          line(`${printable(o.path)}: error: not a domain definition (root element is <${o.notDomain}>)\n`);
        } else {
          const folder = dirname(o.path);
          const entry = notDomains.get(folder) ?? { count: 0, roots: new Set<string>(), first: o.path };
          entry.count++;
          entry.roots.add(o.notDomain);
          notDomains.set(folder, entry);
        }
        return false;
      }
      return true;
    },
    inputError(path: string, reason: string) {
      failed = true;
      line(`${printable(path)}: ${printable(reason)}\n`);
    },
    // Reasons and notices quote what hosts and files said (virsh, libvirt, ssh): printable too.
    notice(path: string, message: string) {
      if (!options.quiet) line(`${printable(path)}: ${printable(message)}\n`);
    },
    runNotice(message: string) {
      if (!options.quiet) line(`domfleet: ${printable(message)}\n`);
    },
    progress: undefined,
    finish() {
      bar?.stop();
      if (options.quiet) return;
      for (const [folder, { count, roots, first }] of notDomains) {
        const kinds = [...roots].map((r) => `<${r}>`).join(', ');
        io.stderr.write(count === 1
          ? `${printable(first)}: skipped: not a domain definition (root element is ${kinds})\n`
          : `skipped ${count} non-domain files under ${printable(folder)}/ (root elements ${kinds})\n`);
      }
      notDomains.clear();
    },
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
