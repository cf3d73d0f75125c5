// src/cli/commands/query.ts — parse options, call core, render, return an exit code.
import { ExitCode, INPUT_HELP, INPUT_OPTIONS, UsageError, inputSettings, keyValues, defineCommand } from '../command.js';
import { printable } from '../printable.js';
import { resolveExpression, queryFleet } from '../../core/query/query.js';
import { FORMATS, recordWriter, type Format } from '../render/records.js';
import { diagnostics } from '../diagnostics.js';
import { bufferedOut } from '../render/buffered.js';
import type { EngineChoice } from '../../core/engines/compiled-query.js';

export const queryCommand = defineCommand({
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
    '--engine E          auto (default), libxml2 (XPath 1.0, fastest) or saxon (XPath 3.1)',
    '--csv-raw           csv format: no guard against spreadsheet formulas (see README)',
    '--no-cache          do not read or write the result cache ($XDG_CACHE_HOME/domfleet)',
    '--no-prefilter      parse every file, even those whose bytes cannot match',
    ...INPUT_HELP,
    'With no INPUT, one document is read from stdin (virsh dumpxml NAME | domfleet query …).',
  ],
  examples: [
    'domfleet query bridged-nics examples/fleet',
    "domfleet query '/domain/devices/interface/mac/@address' vm.xml",
    "domfleet query --format json 'count(//disk)' 'hosts/*/qemu/*.xml'",
    "domfleet query --param br=br0 '/domain/devices/interface[source/@bridge=$br]/mac/@address' defs/",
    "ls defs/*.xml | domfleet query -l '//graphics[@type=\"vnc\"]' -",
    'find /etc/libvirt/qemu -name "*.xml" -print0 | domfleet query -0 bridged-nics -',
    'virsh dumpxml web01 | domfleet query bridged-nics',
  ],
  options: {
    format: { type: 'string', default: 'text' },
    'no-filename': { type: 'boolean' },
    count: { type: 'boolean' },
    'files-with-matches': { type: 'boolean', short: 'l' },
    param: { type: 'string', multiple: true },
    ns: { type: 'string', multiple: true },
    engine: { type: 'string', default: 'auto' },
    'csv-raw': { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    'no-prefilter': { type: 'boolean' },
    ...INPUT_OPTIONS,
  },
  async run(positionals, v, io) {
    const [expr, ...inputs] = positionals;
    if (!expr) throw new UsageError('query needs an XPath expression or a saved query name');
    const format = v.format as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const engine = v.engine as EngineChoice;
    if (!['auto', 'libxml2', 'saxon'].includes(engine)) throw new UsageError('--engine must be auto, libxml2 or saxon');
    const input = inputSettings(inputs, v, io, 'query');

    const diag = diagnostics(io, v);
    // libvirt leaves passwords out of live dumps unless asked: a question about them would be
    // answered as if none were set.
    if (input.live && !input.live.securityInfo && /passwd/.test(resolveExpression(expr).expression)) {
      diag.runNotice('live hosts are read without secrets: passwd is absent from every dump (add --security-info to ask about passwords)');
    }
    const out = bufferedOut(io.stdout);
    const writer = recordWriter(format, out, { filename: !v['no-filename'], csvRaw: Boolean(v['csv-raw']) });
    const counting = Boolean(v.count);
    const listing = Boolean(v['files-with-matches']);
    let matches = 0;
    const counts: { file: string; host: string; domain: string; count: number }[] = [];

    const summary = await queryFleet(expr, inputs, {
      params: keyValues(v.param, '--param'),
      namespaces: keyValues(v.ns, '--ns'),
      engine,
      withXml: format === 'xml',
      ...input,
      cache: !v['no-cache'],
      noPrefilter: Boolean(v['no-prefilter']),
      onProgress: diag.progress,
      onNotice: diag.runNotice,
    }, (file) => {
      if (!diag.check(file)) return;
      const items = file.result!.items;
      matches += items.length;
      const domain = file.result!.domain ?? '';
      if (counting) { counts.push({ file: file.path, host: file.host, domain, count: items.length }); return; }
      if (listing) { if (items.length) out(`${printable(file.path)}\n`); return; }
      for (const item of items) writer.write({ host: file.host, file: file.path, domain, line: item.line, value: item.value, xml: item.xml });
      out.fileDone();
    });
    diag.finish();
    for (const e of summary.inputErrors) diag.inputError(e.path, e.reason);

    if (counting) {
      if (format === 'json' || format === 'ndjson') {
        out(JSON.stringify({ files: counts, total: matches }) + '\n');
      } else {
        for (const c of counts) out(`${printable(c.file)}\t${c.count}\n`);
        out(`total\t${matches}\n`);
      }
    } else if (!listing) {
      writer.end();
    }
    out.flush();
    if (diag.failed) return ExitCode.Error;
    return matches > 0 ? ExitCode.Ok : ExitCode.NoMatch;
  },
});
