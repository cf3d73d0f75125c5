// src/cli/commands/report.ts — parse options, call core, render, return an exit code.

import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, INPUT_HELP, INPUT_OPTIONS, UsageError, inputSettings, defineCommand } from '../command.js';
import { collectInventory, renderCsv, renderHtml, renderJson } from '../../core/report/report.js';
import { writeOutput } from '../../core/write/write.js';
import { DomfleetError } from '../../core/errors.js';
import { diagnostics } from '../diagnostics.js';

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'Write a self-contained HTML inventory of the fleet, with charts (or JSON/CSV)',
  usage: 'domfleet report [options] -o FILE [INPUT...]',
  optionHelp: [
    '-o, --output FILE   where to write the report (- for stdout)',
    '--format F          html (default), json ({ hosts, domains, networks, storage, findings, errors }) or csv (domain table)',
    '--title T           page title (default: Domain inventory)',
    '--csv-raw           csv format: no guard against spreadsheet formulas (see README)',
    ...INPUT_HELP,
    'With no INPUT, one document is read from stdin.',
  ],
  examples: [
    'domfleet report -o inventory.html examples/fleet',
    "domfleet report --title 'Production' -o prod.html /srv/defs/*/",
    'domfleet report --format json -o - defs/ | jq .findings',
  ],
  options: {
    output: { type: 'string', short: 'o' },
    format: { type: 'string', default: 'html' },
    title: { type: 'string' },
    'csv-raw': { type: 'boolean' },
    ...INPUT_OPTIONS,
  },
  async run(inputs, v, io) {
    const output = v.output;
    if (!output) throw new UsageError('report needs -o FILE (or -o - for stdout)');
    const format = v.format;
    if (!['html', 'json', 'csv'].includes(format)) throw new UsageError('--format must be html, json or csv');
    // A mistyped folder is not created: the report goes into a folder that exists.
    if (output !== '-' && !existsSync(dirname(output))) throw new UsageError(`-o ${output}: folder ${dirname(output)} does not exist`);
    const input = inputSettings(inputs, v, io, 'report', { checksDefinitions: true });
    const diag = diagnostics(io, v);
    const { inventory, inputErrors } = await collectInventory(inputs, {
      ...input, title: v.title, onProgress: diag.progress, onNotice: diag.runNotice,
    }, (outcome) => diag.check(outcome));
    diag.finish();
    for (const e of inputErrors) diag.inputError(e.path, e.reason);
    const text = format === 'json' ? renderJson(inventory) : format === 'csv' ? renderCsv(inventory, { raw: Boolean(v['csv-raw']) }) : renderHtml(inventory);
    if (output === '-') io.stdout.write(text);
    else {
      try {
        writeOutput(output, text);
      } catch (e) {
        throw new DomfleetError(`cannot write ${output}: ${(e as Error).message}`);
      }
    }
    return diag.failed ? ExitCode.Error : ExitCode.Ok;
  },
});

