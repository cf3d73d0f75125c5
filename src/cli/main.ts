// Command table and the one place that turns errors into messages and exit codes.
import { readFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { ExitCode, UsageError, helpText, type Command, type Io } from './command.js';
import { VERSION } from '../core/version.js';
import { DomfleetError, InputError, QueryError } from '../core/errors.js';
import { printable } from './printable.js';
import { removeInFlightFiles } from '../core/write/write.js';

// V8 recompiles hot WebAssembly functions (libxml2) with TurboFan on background threads, and a
// process only exits once those jobs finish: on a one-file run that is ~20 ms of work nobody
// uses. A higher budget leaves the functions that are hot across many files to be recompiled,
// as before (no change measured on 10,000 files). Set before libxml2 loads; the flag exists in
// the V8 of Node 20 to 24, and an unknown flag would print an error, so newer V8s are left alone.
if (Number(process.versions.v8.split('.')[0]) <= 13) setFlagsFromString('--wasm-tiering-budget=20000000');

// Command modules load lazily so `domfleet query` on one file does not pay for the others.
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  query: { summary: 'Run an XPath expression or saved query over files, folders, globs or path lists', load: async () => (await import('./commands/query.js')).queryCommand },
  normalize: { summary: "Rewrite domain XML exactly as libvirt writes it: stdout, --in-place, --check, --diff, -o DIR", load: async () => (await import('./commands/normalize.js')).normalizeCommand },
  migrate: { summary: 'Old-format XML to modern form (--to modern), Xen guests to KVM (--to kvm), every change explained', load: async () => (await import('./commands/migrate.js')).migrateCommand },
  transform: { summary: 'Apply a built-in transform or any XSLT 1.0–3.0 stylesheet (--in-place, --check, --diff, -o)', load: async () => (await import('./commands/transform.js')).transformCommand },
  transforms: { summary: 'List the built-in transforms with their parameters', load: async () => (await import('./commands/transform.js')).transformsCommand },
  report: { summary: 'Self-contained HTML inventory of a fleet with charts (or --format json|csv)', load: async () => (await import('./commands/report.js')).reportCommand },
  validate: { summary: "Check domains against libvirt's RELAX NG schema (text, JSON or SARIF)", load: async () => (await import('./commands/validate.js')).validateCommand },
  lint: { summary: 'Fleet integrity rules: duplicate MACs/UUIDs/names, shared disks, open VNC … (text, JSON or SARIF)', load: async () => (await import('./commands/lint.js')).lintCommand },
  fetch: { summary: 'Mirror live hosts (--connect, --hosts) into DIR/<host>/<name>.xml, normalized, for git', load: async () => (await import('./commands/fetch.js')).fetchCommand },
  diff: { summary: 'Compare two definitions after normalizing both', load: async () => (await import('./commands/diff.js')).diffCommand },
  queries: { summary: 'List the saved queries with their summaries', load: async () => (await import('./commands/queries.js')).queriesCommand },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    `domfleet ${VERSION} — query and check libvirt domain XML, one file or whole fleets`,
    '',
    'Usage: domfleet <command> [options] [INPUT...]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'INPUT is a file, a folder (every *.xml below it), a glob, or - for a list of paths on stdin;',
    'with no INPUT, one document is read from stdin (virsh dumpxml NAME | domfleet …).',
    'Run `domfleet <command> --help` for its options and examples.',
    '',
    'Examples:',
    '  domfleet query bridged-nics examples/fleet',
    "  domfleet query --format csv '/domain/devices/disk/source/@file' 'backups/**/*.xml'",
    '  find /etc/libvirt/qemu -name "*.xml" | domfleet query -l xen-guests -',
    '',
  ].join('\n');
}

export function defaultIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin: () => readFileSync(0),
    stdinIsTTY: isatty(0),
    ask: isatty(0) ? async (question) => {
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    } : undefined,
  };
}

export async function run(argv: string[], io: Io = defaultIo()): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  argv = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = argv;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(mainHelp());
      return name ? ExitCode.Ok : ExitCode.Error;
    }
    if (name === '--version' || name === '-V') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.Ok;
    }
    const entry = COMMANDS[name];
    if (!entry) throw new UsageError(`unknown command '${name}' (see domfleet --help)`);
    const cmd = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(helpText(cmd));
      return ExitCode.Ok;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
    }
    return await cmd.run(parsed.positionals, parsed.values, { ...io, debug });
  } catch (e) {
    return reportError(e, io, debug, name && COMMANDS[name] ? name : null);
  }
}

/** An error from the operating system (ENOSPC, EACCES, EROFS …), as Node reports them. */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The one place an error that ends a run becomes a message and an exit code. Per-file problems
 * are reported as they come (diagnostics.ts) and never reach here.
 */
function reportError(e: unknown, io: Io, debug: boolean, command: string | null): ExitCode {
  if (e instanceof InputError) {
    io.stderr.write(`${printable(e.path)}${e.line === null ? '' : `:${e.line}`}: ${e.reason}\n`);
  } else if (e instanceof UsageError) {
    io.stderr.write(`domfleet: ${e.message}\n`);
    // A query that does not compile is the user's expression, not the command line.
    if (command && !(e instanceof QueryError)) io.stderr.write(`Try 'domfleet ${command} --help'.\n`);
  } else if (e instanceof DomfleetError) {
    io.stderr.write(`domfleet: ${e.message}\n`);
  } else if (isSystemError(e)) {
    // The machine said no (a full disk, a read-only folder): not a bug, and nothing to debug.
    io.stderr.write(`domfleet: ${e.message}\n`);
  } else {
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr.write(`domfleet: internal error: ${err.message}\n`);
    io.stderr.write(debug ? `${err.stack}\n` : 'This is a bug in domfleet; --debug shows where it happened.\n');
  }
  return ExitCode.Error;
}

export async function main(argv: string[]): Promise<void> {
  // Interrupted mid-write, a run leaves no temporary or lock file behind (a kill -9 can: the
  // next run over that folder removes them).
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      removeInFlightFiles();
      process.exit(code);
    });
  }
  // A closed pipe (`domfleet query … | head`) ends the run quietly, as grep does.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a closed terminal: the results are incomplete, which exit 2 says.
    process.stderr.write(`domfleet: cannot write the output: ${e.message}\n`);
    process.exit(2);
  });
  const code = await run(argv);
  // Let buffered stdout drain (a pipe may be slow) before the exit code is set.
  process.exitCode = code;
}
