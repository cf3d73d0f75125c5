// The shape every command module has, and the errors the single handler in main.ts maps to exit codes.
import type { ParseArgsConfig, parseArgs } from 'node:util';

export const enum ExitCode {
  /** Success, matches found, already normal. */
  Ok = 0,
  /** No match, findings, or would change. */
  NoMatch = 1,
  /** Usage or input error. */
  Error = 2,
}

export { UsageError } from '../core/errors.js';
import { UsageError } from '../core/errors.js';
import type { LiveReadOptions } from '../core/live/live-fleet.js';

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** All of stdin, as bytes (a document keeps its own encoding). */
  readStdin: () => Buffer;
  /** A person at a terminal, not a pipe: no document is waiting on stdin. */
  stdinIsTTY: boolean;
  /** --debug: internal errors come with their stack. */
  debug?: boolean;
  /** Asks a question on the terminal and returns the answer (absent: there is no one to ask). */
  ask?: (question: string) => Promise<string>;
}

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The values parseArgs gives for an options table: a string option is string | undefined, and so on. */
export type OptionValues<O extends OptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];

export interface Command<O extends OptionsConfig = OptionsConfig> {
  name: string;
  summary: string;
  usage: string;
  /** Option help lines, already aligned. */
  optionHelp: string[];
  examples: string[];
  options: O;
  /** Callable without argv: `values` is what the argument parser makes of `options`. */
  run(positionals: string[], values: OptionValues<O>, io: Io): Promise<ExitCode>;
}

/** Declares a command, typing its run() values from its options table. */
export function defineCommand<const O extends OptionsConfig>(command: Command<O>): Command<O> {
  return command;
}

export function helpText(cmd: Pick<Command, 'name' | 'summary' | 'usage' | 'optionHelp' | 'examples'>): string {
  return [
    `domfleet ${cmd.name} — ${cmd.summary}`,
    '',
    `Usage: ${cmd.usage}`,
    '',
    'Options:',
    ...cmd.optionHelp.map((l) => `  ${l}`),
    '',
    'Examples:',
    ...cmd.examples.map((e) => `  ${e}`),
    '',
    'Exit status: 0 success or matches, 1 no match / findings / would change, 2 usage or input error.',
    '',
  ].join('\n');
}

/** The options of every command that reads an inventory. */
export const INPUT_OPTIONS = {
  host: { type: 'string' },
  strict: { type: 'boolean' },
  jobs: { type: 'string', short: 'j' },
  quiet: { type: 'boolean', short: 'q' },
  'max-file-size': { type: 'string' },
  null: { type: 'boolean', short: '0' },
  connect: { type: 'string', short: 'c', multiple: true },
  hosts: { type: 'string' },
  'persistent-only': { type: 'boolean' },
  inactive: { type: 'boolean' },
  'security-info': { type: 'boolean' },
  'connect-timeout': { type: 'string' },
} as const;

export const INPUT_HELP = [
  '--host NAME         host label for every input (default: first folder under a folder input)',
  '--strict            a file whose root is not <domain> is an error, not a notice',
  '-j, --jobs N        worker threads (default: by fleet size and cores; 0 = none)',
  '--max-file-size N   refuse larger files unread (default 10MiB, as virsh; units KiB, MiB, GiB)',
  '-0, --null          the - path list on stdin is NUL-separated (find -print0)',
  '-q, --quiet         no notices or progress on stderr',
  '-c, --connect URI   also read every domain of a live host through libvirt (virsh): qemu+ssh://',
  '                    host/system, NAME=URI to label it; repeatable; see README "Many hosts"',
  '--hosts FILE        libvirt URIs (or NAME=URI), one per line, # comments',
  '--persistent-only   live hosts: defined domains only, not transient ones',
  '--inactive          live hosts: read definitions (dumpxml --inactive), not running state',
  '--security-info     live hosts: include secrets such as VNC passwords (dumpxml --security-info)',
  '--connect-timeout S live hosts: give up on a host that does not answer within S seconds (30)',
];

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/** A size such as 64MiB, 200M or 1048576 (bytes) in bytes. */
export function parseSize(text: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) throw new UsageError(`${flag} takes a size such as 64MiB, 512KiB or 1048576, got '${text}'`);
  return Math.floor(Number(m[1]) * unit);
}

/** Files are read whole into memory; past 1 GiB that is no domain definition, and Node's reads stop at 2 GiB. */
const MAX_FILE_SIZE_LIMIT = 1024 ** 3;

function maxFileSize(text: string): number {
  const size = parseSize(text, '--max-file-size');
  if (size > MAX_FILE_SIZE_LIMIT) throw new UsageError(`--max-file-size is at most 1GiB, got '${text}'`);
  return size;
}

/** --connect-timeout S in milliseconds (undefined: the default). */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!(seconds > 0 && seconds <= 86_400)) throw new UsageError(`--connect-timeout takes a number of seconds, got '${value}'`);
  return seconds * 1000;
}

export function parseJobs(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--jobs takes a whole number');
  return workers;
}

export interface InputSettings {
  host?: string;
  /** Live hosts, as given (--connect) and listed (--hosts), and how to read them. */
  connect?: string[];
  hostsFile?: string;
  live?: LiveReadOptions;
  workers?: number;
  maxFileSize?: number;
  nullSeparated: boolean;
  /** One document from stdin, when no INPUT was given and stdin is not a terminal. */
  stdinDocument?: Buffer;
  readStdin: () => Buffer;
}

/**
 * What every inventory-reading command makes of its inputs and the shared options. With no
 * INPUT, one document is read from stdin (`virsh dumpxml web01 | domfleet …`) unless stdin is a
 * terminal, which is a usage error (a person forgot the INPUT).
 */
export function inputSettings(inputs: string[], v: OptionValues<typeof INPUT_OPTIONS>, io: Io, what: string, options: { checksDefinitions?: boolean } = {}): InputSettings {
  const settings: InputSettings = {
    host: v.host,
    workers: parseJobs(v.jobs),
    maxFileSize: v['max-file-size'] === undefined ? undefined : maxFileSize(v['max-file-size']),
    nullSeparated: Boolean(v.null),
    readStdin: io.readStdin,
  };
  if (settings.nullSeparated && !inputs.includes('-')) throw new UsageError('-0/--null describes the - path list: give - as an INPUT');
  const live = v.connect?.length || v.hosts !== undefined;
  if (live) {
    settings.connect = v.connect;
    settings.hostsFile = v.hosts;
    const showHosts = Boolean(io.stderr.isTTY) && !v.quiet;
    // A command that checks definitions (lint, validate, report) checks what is defined, with
    // its secrets (or a VNC password would look missing); it never prints the XML itself.
    const definitions = Boolean(options.checksDefinitions);
    if (definitions && (v.inactive || v['security-info'])) throw new UsageError(`${what} reads live hosts' definitions with their secrets already (never printed): --inactive and --security-info are implied`);
    settings.live = {
      persistentOnly: Boolean(v['persistent-only']),
      inactive: definitions || Boolean(v.inactive),
      securityInfo: definitions || Boolean(v['security-info']),
      timeoutMs: parseTimeout(v['connect-timeout']),
      // -j 0 (no worker threads) reads the hosts one at a time.
      parallel: settings.workers === 0 ? 1 : settings.workers,
      onHost: showHosts ? (label, r) => { if ('domains' in r) io.stderr.write(`${label}: ${r.domains} domain(s)\n`); } : undefined,
    };
  } else {
    for (const flag of ['persistent-only', 'security-info', 'connect-timeout'] as const) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} goes with --connect or --hosts`);
    }
    // normalize gives --inactive a meaning of its own (strip run-time state); elsewhere it is about live hosts.
    if (v.inactive && what !== 'normalize') throw new UsageError('--inactive goes with --connect or --hosts');
  }
  if (inputs.length === 0 && !live) {
    if (io.stdinIsTTY) throw new UsageError(`${what} needs at least one INPUT (a file, folder, glob, or - for paths on stdin), or a document piped to stdin`);
    settings.stdinDocument = io.readStdin();
  }
  return settings;
}

/** --param NAME=VALUE and --ns PREFIX=URI lists → a record. */
export function keyValues(list: unknown, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (list as string[] | undefined) ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`${flag} takes NAME=VALUE, got '${item}'`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
