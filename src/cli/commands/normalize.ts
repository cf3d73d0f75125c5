// src/cli/commands/normalize.ts — parse options, call core, render, return an exit code.
import { ExitCode, UsageError, type Command, type Io } from '../command.js';
import { normalizeFleet } from '../../core/normalize-fleet.js';
import { normalize } from '../../core/normalize.js';
import { InputError, NotADomainError } from '../../core/errors.js';
import { REWRITE_HELP, REWRITE_OPTIONS, rewriteMode, rewriteRun } from '../rewrite-output.js';

export const normalizeCommand: Command = {
  name: 'normalize',
  summary: "Rewrite domain XML exactly as libvirt itself writes it (offline)",
  usage: 'domfleet normalize [options] [INPUT...]',
  optionHelp: [
    ...REWRITE_HELP,
    '--inactive          also strip runtime-only state of live dumps (ids, aliases, vnetN, pty paths …)',
    '--no-cache          run every file through the rules, even those known to be normal already',
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
    ...REWRITE_OPTIONS,
    inactive: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
  },
  async run(inputs, v, io) {
    const inactive = Boolean(v.inactive);
    const mode = rewriteMode(v);
    if (inputs.length === 0) {
      if (!mode.toStdout) throw new UsageError('give INPUT files or folders with --in-place, --check, --diff or -o');
      return fromStdin(io, (bytes) => normalize(bytes, { inactive, path: '<stdin>' }));
    }
    const run = rewriteRun(io, mode, v);
    const summary = await normalizeFleet(inputs, {
      inactive, host: v.host as string | undefined, workers: mode.workers, withOriginal: mode.diff, cache: !v['no-cache'],
      readStdin: io.readStdin, onProgress: run.diag.progress,
    }, (file) => run.onFile(file));
    return run.finish(summary.inputErrors);
  },
};

/** One document from stdin through `convert`, result to stdout. */
export function fromStdin(io: Io, convert: (bytes: Buffer) => string): ExitCode {
  try {
    io.stdout.write(convert(Buffer.from(io.readStdin())));
    return ExitCode.Ok;
  } catch (e) {
    if (e instanceof NotADomainError) { io.stderr.write(`<stdin>: not a domain definition (root element is <${e.rootName}>)\n`); return ExitCode.Error; }
    if (e instanceof InputError) { io.stderr.write(`${e.message}\n`); return ExitCode.Error; }
    throw e;
  }
}
