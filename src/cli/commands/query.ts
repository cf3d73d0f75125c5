// src/cli/commands/query.ts — parse options, call core, render, return an exit code.
import { ExitCode, UsageError, keyValues, type Command } from '../command.js';
import { queryFleet } from '../../core/query.js';
import { FORMATS, recordWriter, type Format } from '../render/records.js';
import { diagnostics } from '../diagnostics.js';
import { bufferedOut } from '../render/buffered.js';
import type { EngineChoice } from '../../core/compiled-query.js';

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run an XPath expression or saved query over domain XML',
  usage: 'domfleet query [options] EXPR|SAVED-QUERY [INPUT...]',
  optionHelp: [
    '--format F          text (default: FILE<TAB>VALUE), tsv, csv, json, ndjson, xml',
    '--no-filename       text format: values only',
    '--count             count results per file, then a total',
    '-l, --files-with-matches  list the files with at least one result',
    '--param NAME=VALUE  bind $NAME (repeatable)',
    '--ns PREFIX=URI     declare a namespace prefix (libvirt ones are pre-bound)',
    '--host NAME         host label for every input (default: first folder under a folder input)',
    '--engine E          auto (default), libxml2 (XPath 1.0, fastest) or saxon (XPath 3.1)',
    '--strict            a file whose root is not <domain> is an error, not a notice',
    '--no-cache          do not read or write the result cache ($XDG_CACHE_HOME/domfleet)',
    '--no-prefilter      parse every file, even those whose bytes cannot match',
    '-j, --jobs N        worker threads (default: by fleet size and cores; 0 = none)',
    '-q, --quiet         no notices or progress on stderr',
  ],
  examples: [
    'domfleet query bridged-nics examples/fleet',
    "domfleet query '/domain/devices/interface/mac/@address' vm.xml",
    "domfleet query --format json 'count(//disk)' 'hosts/*/qemu/*.xml'",
    "domfleet query --param br=br0 '/domain/devices/interface[source/@bridge=$br]/mac/@address' defs/",
    "ls defs/*.xml | domfleet query -l '//graphics[@type=\"vnc\"]' -",
  ],
  options: {
    format: { type: 'string', default: 'text' },
    'no-filename': { type: 'boolean' },
    count: { type: 'boolean' },
    'files-with-matches': { type: 'boolean', short: 'l' },
    param: { type: 'string', multiple: true },
    ns: { type: 'string', multiple: true },
    host: { type: 'string' },
    engine: { type: 'string', default: 'auto' },
    strict: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    'no-prefilter': { type: 'boolean' },
    jobs: { type: 'string', short: 'j' },
    quiet: { type: 'boolean', short: 'q' },
  },
  async run(positionals, v, io) {
    const [expr, ...inputs] = positionals;
    if (!expr) throw new UsageError('query needs an XPath expression or a saved query name');
    if (inputs.length === 0) throw new UsageError('query needs at least one INPUT (a file, folder, glob, or - for paths on stdin)');
    const format = v.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const engine = v.engine as EngineChoice;
    if (!['auto', 'libxml2', 'saxon'].includes(engine)) throw new UsageError('--engine must be auto, libxml2 or saxon');
    let workers: number | undefined;
    if (v.jobs !== undefined) {
      workers = Number(v.jobs);
      if (!Number.isInteger(workers) || workers < 0) throw new UsageError('--jobs takes a whole number');
    }

    const diag = diagnostics(io, { strict: v.strict as boolean, quiet: v.quiet as boolean });
    const out = bufferedOut(io.stdout);
    const writer = recordWriter(format, out, { filename: !v['no-filename'] });
    const counting = Boolean(v.count);
    const listing = Boolean(v['files-with-matches']);
    let matches = 0;
    const counts: { file: string; host: string; domain: string; count: number }[] = [];

    const summary = await queryFleet(expr, inputs, {
      params: keyValues(v.param, '--param'),
      namespaces: keyValues(v.ns, '--ns'),
      engine,
      withXml: format === 'xml',
      host: v.host as string | undefined,
      cache: !v['no-cache'],
      noPrefilter: Boolean(v['no-prefilter']),
      workers,
      readStdin: io.readStdin,
      onProgress: diag.progress,
    }, (file) => {
      if (!diag.check(file)) return;
      const items = file.result!.items;
      matches += items.length;
      const domain = file.result!.domain ?? '';
      if (counting) { counts.push({ file: file.path, host: file.host, domain, count: items.length }); return; }
      if (listing) { if (items.length) out(`${file.path}\n`); return; }
      for (const item of items) writer.write({ host: file.host, file: file.path, domain, line: item.line, value: item.value, xml: item.xml });
      out.fileDone();
    });
    diag.finish();
    for (const e of summary.inputErrors) diag.inputError(e.path, e.reason);

    if (counting) {
      if (format === 'json' || format === 'ndjson') {
        out(JSON.stringify({ files: counts, total: matches }) + '\n');
      } else {
        for (const c of counts) out(`${c.file}\t${c.count}\n`);
        out(`total\t${matches}\n`);
      }
    } else if (!listing) {
      writer.end();
    }
    out.flush();
    if (diag.failed) return ExitCode.Error;
    return matches > 0 ? ExitCode.Ok : ExitCode.NoMatch;
  },
};
