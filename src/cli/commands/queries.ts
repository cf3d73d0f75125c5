// src/cli/commands/queries.ts — list saved queries with their summaries, parameters and columns.
import { ExitCode, defineCommand } from '../command.js';
import { listSavedQueries } from '../../core/query/saved-queries.js';

export const queriesCommand = defineCommand({
  name: 'queries',
  summary: 'List the saved queries (queries/*.xpath) with their summaries',
  usage: 'domfleet queries [--verbose]',
  optionHelp: ['-v, --verbose       also show parameters, columns and the expression'],
  examples: ['domfleet queries', 'domfleet queries --verbose'],
  options: { verbose: { type: 'boolean', short: 'v' } },
  async run(_positionals, v, io) {
    const all = listSavedQueries();
    const width = Math.max(...all.map((q) => q.name.length));
    for (const q of all) {
      io.stdout.write(`${q.name.padEnd(width)}  ${q.summary}\n`);
      if (v.verbose) {
        if (q.params) io.stdout.write(`${''.padEnd(width)}  params: ${q.params}\n`);
        if (q.columns) io.stdout.write(`${''.padEnd(width)}  columns: ${q.columns}\n`);
      }
    }
    return ExitCode.Ok;
  },
});
