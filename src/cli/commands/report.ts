// src/cli/commands/report.ts — parse options, call core, render, return an exit code.

import { ExitCode, UsageError, type Command } from '../command.js';
import { collectInventory, renderCsv, renderHtml, renderJson } from '../../core/report.js';
import { writeAtomic } from '../../core/write.js';
import { diagnostics } from '../diagnostics.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write a self-contained HTML inventory of the fleet, with charts (or JSON/CSV)',
  usage: 'domfleet report [options] -o FILE [INPUT...]',
  optionHelp: [
    '-o, --output FILE   where to write the report (- for stdout)',
    '--format F          html (default), json ({ hosts, domains, networks, storage, findings }) or csv (domain table)',
    '--title T           page title (default: Domain inventory)',
    '--host NAME         host label for every input',
    '--strict            a file whose root is not <domain> is an error',
    '-j, --jobs N        worker threads',
    '-q, --quiet         no notices or progress on stderr',
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
    host: { type: 'string' },
    strict: { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(inputs, v, io) {
    const output = v.output as string | undefined;
    if (!output) throw new UsageError('report needs -o FILE (or -o - for stdout)');
    if (inputs.length === 0) throw new UsageError('report needs at least one INPUT');
    const format = v.format as string;
    if (!['html', 'json', 'csv'].includes(format)) throw new UsageError('--format must be html, json or csv');
    const workers = v.jobs === undefined ? undefined : Number(v.jobs);
    if (workers !== undefined && (!Number.isInteger(workers) || workers < 0)) throw new UsageError('--jobs takes a whole number');
    const diag = diagnostics(io, { strict: v.strict as boolean, quiet: v.quiet as boolean });
    const { inventory, inputErrors } = await collectInventory(inputs, {
      title: v.title as string | undefined, host: v.host as string | undefined, workers, readStdin: io.readStdin, onProgress: diag.progress,
    }, (outcome) => diag.check(outcome));
    diag.finish();
    for (const e of inputErrors) diag.inputError(e.path, e.reason);
    const text = format === 'json' ? renderJson(inventory) : format === 'csv' ? renderCsv(inventory) : renderHtml(inventory);
    if (output === '-') io.stdout.write(text);
    else writeAtomic(output, text);
    return diag.failed ? ExitCode.Error : ExitCode.Ok;
  },
};

