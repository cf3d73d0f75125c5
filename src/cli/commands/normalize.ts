// src/cli/commands/normalize.ts — parse options, call core, render, return an exit code.
import { join } from 'node:path';
import { ExitCode, UsageError, type Command } from '../command.js';
import { normalizeFleet, unifiedPatch } from '../../core/normalize-fleet.js';
import { normalize } from '../../core/normalize.js';
import { writeAtomic } from '../../core/write.js';
import { diagnostics } from '../diagnostics.js';
import { bufferedOut } from '../render/buffered.js';
import { InputError, NotADomainError } from '../../core/errors.js';

export const normalizeCommand: Command = {
  name: 'normalize',
  summary: "Rewrite domain XML exactly as libvirt itself writes it (offline)",
  usage: 'domfleet normalize [options] [INPUT...]',
  optionHelp: [
    '--in-place          rewrite files that are not normal, atomically (mode and owner kept)',
    '--check             list files that would change; exit 1 if any would',
    '--diff              print a unified diff for each file that would change',
    '-o, --output DIR    write every normalized file into DIR, mirroring the input tree',
    '--inactive          also strip runtime-only state of live dumps (ids, aliases, vnetN, pty paths …)',
    '--no-cache          run every file through the rules, even those known to be normal already',
    '--host NAME         host label for every input',
    '--strict            a file whose root is not <domain> is an error',
    '-j, --jobs N        worker threads (default: by fleet size and cores; 0 = none)',
    '-q, --quiet         no notices or progress on stderr',
    'With one input file and none of --in-place/--check/--diff/-o, the result goes to stdout;',
    'with no INPUT at all, one document is read from stdin.',
  ],
  examples: [
    'domfleet normalize vm.xml',
    'virsh dumpxml web01 | domfleet normalize --inactive',
    'domfleet normalize --check defs/',
    'domfleet normalize --diff --inactive dumps/',
    'domfleet normalize --in-place defs/',
    'domfleet normalize -o normalized/ backups/',
  ],
  options: {
    'in-place': { type: 'boolean' },
    check: { type: 'boolean' },
    diff: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    inactive: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    host: { type: 'string' },
    strict: { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(inputs, v, io) {
    const inactive = Boolean(v.inactive);
    const inPlace = Boolean(v['in-place']);
    const check = Boolean(v.check);
    const showDiff = Boolean(v.diff);
    const outDir = v.output as string | undefined;
    if (inPlace && outDir) throw new UsageError('--in-place and -o write to different places: choose one');
    const toStdout = !inPlace && !check && !showDiff && !outDir;
    let workers: number | undefined;
    if (v.jobs !== undefined) {
      workers = Number(v.jobs);
      if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--jobs takes a whole number');
    }

    if (inputs.length === 0) {
      if (!toStdout) throw new UsageError('give INPUT files or folders with --in-place, --check, --diff or -o');
      try {
        io.stdout.write(normalize(Buffer.from(io.readStdin()), { inactive, path: '<stdin>' }));
        return ExitCode.Ok;
      } catch (e) {
        if (e instanceof NotADomainError) { io.stderr.write(`<stdin>: not a domain definition (root element is <${e.rootName}>)\n`); return ExitCode.Error; }
        if (e instanceof InputError) { io.stderr.write(`${e.message}\n`); return ExitCode.Error; }
        throw e;
      }
    }

    const diag = diagnostics(io, { strict: v.strict as boolean, quiet: v.quiet as boolean });
    const out = bufferedOut(io.stdout);
    let wouldChange = 0;
    let seen = 0;
    const summary = await normalizeFleet(inputs, {
      inactive, host: v.host as string | undefined, workers, withOriginal: showDiff, cache: !v['no-cache'],
      readStdin: io.readStdin, onProgress: diag.progress,
    }, (file) => {
      seen++;
      if (toStdout && seen > 1) throw new UsageError('several inputs: use --in-place, --check, --diff or -o DIR');
      if (!diag.check(file)) return;
      const r = file.result!;
      if (toStdout) { out(r.normalized); return; }
      if (r.changed) wouldChange++;
      if (showDiff && r.changed) out(unifiedPatch(file.path, file.path, r.original ?? '', r.normalized));
      if (check && r.changed && !showDiff) out(`${file.path}\n`);
      try {
        if (inPlace && r.changed) writeAtomic(file.path, r.normalized);
        if (outDir) writeAtomic(join(outDir, file.relative), r.normalized, file.path);
      } catch (e) {
        diag.inputError(file.path, `cannot write: ${(e as Error).message}`);
      }
      out.fileDone();
    });
    out.flush();
    diag.finish();
    for (const e of summary.inputErrors) diag.inputError(e.path, e.reason);
    if (diag.failed) return ExitCode.Error;
    if (check && wouldChange > 0) return ExitCode.NoMatch;
    return ExitCode.Ok;
  },
};
