// src/cli/commands/validate.ts — parse options, call core, render, return an exit code.
import { ExitCode, INPUT_HELP, INPUT_OPTIONS, UsageError, inputSettings, defineCommand } from '../command.js';
import { validateFleet, type FileValidation } from '../../core/validate/validate.js';
import { lintRules } from '../../core/lint/rules.js';
import { sarifLog } from '../render/sarif.js';
import { diagnostics } from '../diagnostics.js';
import { printable } from '../printable.js';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = typeof FORMATS[number];

export const validateCommand = defineCommand({
  name: 'validate',
  summary: "Check each domain against libvirt's RELAX NG schema, as virt-xml-validate does, for a whole fleet",
  usage: 'domfleet validate [options] [INPUT...]',
  optionHelp: [
    '--schema-dir DIR    a libvirt schema folder (default /usr/share/libvirt/schemas, Debian libvirt0)',
    '--format F          text (default: FILE:LINE: PATH: problem), json, or sarif (SARIF 2.1.0)',
    ...INPUT_HELP,
    'Exit 0: every file valid; 1: some invalid; 2: a file could not be read.',
  ],
  examples: [
    'domfleet validate /etc/libvirt/qemu',
    'domfleet validate --format sarif defs/ > domfleet.sarif',
    'domfleet validate --schema-dir ~/libvirt-10.0/schemas defs/',
  ],
  options: {
    'schema-dir': { type: 'string' },
    format: { type: 'string', default: 'text' },
    ...INPUT_OPTIONS,
  },
  async run(inputs, v, io) {
    const format = v.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const input = inputSettings(inputs, v, io, 'validate', { checksDefinitions: true });
    const diag = diagnostics(io, v);
    const files: { path: string; host: string; result: FileValidation }[] = [];
    const summary = await validateFleet(inputs, { ...input, schemaDir: v['schema-dir'], onProgress: diag.progress, onNotice: diag.runNotice }, (outcome) => {
      if (!diag.check(outcome)) return;
      const file = { path: outcome.path, host: outcome.host, result: outcome.result! };
      if (format === 'text') {
        for (const p of file.result.problems) {
          io.stdout.write(`${printable(file.path)}:${p.line ?? ''}: ${p.path ?? '/domain'}: ${printable(p.message)} (${printable(p.detail)})\n`);
        }
      } else files.push(file);
    });
    diag.finish();
    for (const e of summary.inputErrors) diag.inputError(e.path, e.reason);
    if (format === 'json') io.stdout.write(JSON.stringify({ schema: summary.schema, files: files.map((f) => ({ file: f.path, host: f.host, domain: f.result.domain, valid: f.result.problems.length === 0, problems: f.result.problems })) }, null, 2) + '\n');
    if (format === 'sarif') {
      // The schema rule as lint has it, so both commands describe it alike.
      const rule = lintRules().find((r) => r.id === 'schema')!;
      const results = files.flatMap((f) => f.result.problems.map((p) => ({ rule: 'schema', severity: 'error' as const, message: `${p.path ?? '/domain'}: ${p.message} (${p.detail})`, file: f.path, line: p.line })));
      io.stdout.write(JSON.stringify(sarifLog([{ id: rule.id, summary: rule.summary, severity: 'error', description: `Checked with ${summary.schema}, as virt-xml-validate checks it; libvirt may refuse or misread an invalid definition.` }], results), null, 2) + '\n');
    }
    if (!v.quiet && format === 'text') io.stderr.write(`${summary.invalid} of ${summary.files} file(s) invalid against ${summary.schema}\n`);
    return diag.failed ? ExitCode.Error : summary.invalid ? ExitCode.NoMatch : ExitCode.Ok;
  },
});
