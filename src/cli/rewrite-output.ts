// What normalize and migrate share on the command line: stdout for one file, --in-place,
// --check, --diff, -o DIR, and the exit code that follows.
import { join } from 'node:path';
import { ExitCode, UsageError, type Io } from './command.js';
import { unifiedPatch, type NormalizeFileResult } from '../core/normalize-fleet.js';
import { writeAtomic } from '../core/write.js';
import { diagnostics, type Diagnostics } from './diagnostics.js';
import { bufferedOut, type BufferedOut } from './render/buffered.js';

export const REWRITE_OPTIONS = {
  'in-place': { type: 'boolean' },
  check: { type: 'boolean' },
  diff: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  host: { type: 'string' },
  strict: { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

export const REWRITE_HELP = [
  '--in-place          rewrite files that change, atomically (mode and owner kept)',
  '--check             list files that would change; exit 1 if any would',
  '--diff              print a unified diff for each file that would change',
  '-o, --output DIR    write every result into DIR, mirroring the input tree',
  '--host NAME         host label for every input',
  '--strict            a file whose root is not <domain> is an error',
  '-j, --jobs N        worker threads (default: by fleet size and cores; 0 = none)',
  '-q, --quiet         no notices or progress on stderr',
];

export interface RewriteMode {
  inPlace: boolean;
  check: boolean;
  diff: boolean;
  outDir?: string;
  toStdout: boolean;
  workers?: number;
}

export function rewriteMode(v: Record<string, unknown>): RewriteMode {
  const mode: RewriteMode = {
    inPlace: Boolean(v['in-place']), check: Boolean(v.check), diff: Boolean(v.diff),
    outDir: v.output as string | undefined, toStdout: false,
  };
  if (mode.inPlace && mode.outDir) throw new UsageError('--in-place and -o write to different places: choose one');
  mode.toStdout = !mode.inPlace && !mode.check && !mode.diff && !mode.outDir;
  if (v.jobs !== undefined) {
    mode.workers = Number(v.jobs);
    if (!Number.isInteger(mode.workers) || mode.workers < 0) throw new UsageError('--jobs takes a whole number');
  }
  return mode;
}

export interface RewriteRun {
  diag: Diagnostics;
  out: BufferedOut;
  /** Handles one file's result; `extra` prints anything command-specific first. */
  onFile(file: NormalizeFileResult, extra?: (file: NormalizeFileResult) => void): void;
  /** Reports input errors, flushes, returns the exit code. */
  finish(inputErrors: { path: string; reason: string }[]): ExitCode;
}

export function rewriteRun(io: Io, mode: RewriteMode, v: Record<string, unknown>): RewriteRun {
  const diag = diagnostics(io, { strict: v.strict as boolean, quiet: v.quiet as boolean });
  const out = bufferedOut(io.stdout);
  let wouldChange = 0;
  let seen = 0;
  return {
    diag,
    out,
    onFile(file, extra) {
      seen++;
      if (mode.toStdout && seen > 1) throw new UsageError('several inputs: use --in-place, --check, --diff or -o DIR');
      if (!diag.check(file)) return;
      const r = file.result!;
      extra?.(file);
      if (mode.toStdout) { out(r.normalized); return; }
      if (r.changed) wouldChange++;
      if (mode.diff && r.changed) out(unifiedPatch(file.path, file.path, r.original ?? '', r.normalized));
      if (mode.check && r.changed && !mode.diff) out(`${file.path}\n`);
      try {
        if (mode.inPlace && r.changed) writeAtomic(file.path, r.normalized);
        if (mode.outDir) writeAtomic(join(mode.outDir, file.relative), r.normalized, file.path);
      } catch (e) {
        diag.inputError(file.path, `cannot write: ${(e as Error).message}`);
      }
      out.fileDone();
    },
    finish(inputErrors) {
      out.flush();
      diag.finish();
      for (const e of inputErrors) diag.inputError(e.path, e.reason);
      if (diag.failed) return ExitCode.Error;
      if (mode.check && wouldChange > 0) return ExitCode.NoMatch;
      return ExitCode.Ok;
    },
  };
}
