// The shape every command module has, and the errors the single handler in main.ts maps to exit codes.
import type { ParseArgsConfig } from 'node:util';

export const enum ExitCode {
  /** Success, matches found, already normal. */
  Ok = 0,
  /** No match, findings, or would change. */
  NoMatch = 1,
  /** Usage or input error. */
  Error = 2,
}

export class UsageError extends Error {}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readStdin: () => string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Option help lines, already aligned. */
  optionHelp: string[];
  examples: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  run(positionals: string[], values: Record<string, unknown>, io: Io): Promise<ExitCode>;
}

export function helpText(cmd: Command): string {
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
