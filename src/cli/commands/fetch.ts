// src/cli/commands/fetch.ts — parse options, call core, render, return an exit code.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ExitCode, INPUT_OPTIONS, UsageError, defineCommand, inputSettings } from '../command.js';
import { fetchFleet } from '../../core/fetch/fetch.js';
import { diagnostics } from '../diagnostics.js';
import { printable } from '../printable.js';

export const fetchCommand = defineCommand({
  name: 'fetch',
  summary: 'Mirror live hosts into a folder: DIR/<host>/<name>.xml, normalized, only what changed rewritten',
  usage: 'domfleet fetch (--connect URI... | --hosts FILE) -o DIR [options]',
  optionHelp: [
    '-c, --connect URI   a host to read, by libvirt URI (NAME=URI names its folder); repeatable',
    '--hosts FILE        libvirt URIs (or NAME=URI), one per line, # comments',
    '-o, --output DIR    the folder to mirror into (created if its parent exists)',
    '--prune             remove files of domains that no longer exist (on hosts that answered)',
    '--running           keep the running state (dumpxml) instead of the definitions (dumpxml --inactive)',
    '--persistent-only   defined domains only, not transient ones',
    '--security-info     include secrets such as VNC passwords',
    '--connect-timeout S give up on a host that does not answer within S seconds (30)',
    '-j, --jobs N        hosts read at once (default 4)',
    '-q, --quiet         no summary or notices on stderr',
    'Exit 0: every host read; 2: some host or domain could not be read (the others are written).',
  ],
  examples: [
    'domfleet fetch --connect qemu+ssh://root@kvm01/system --connect qemu+ssh://root@kvm02/system -o fleet/',
    'domfleet fetch --hosts hosts.txt -o fleet/ --prune && git -C fleet add -A && git -C fleet commit -m "fleet as of $(date -I)"',
  ],
  options: {
    output: { type: 'string', short: 'o' },
    prune: { type: 'boolean' },
    running: { type: 'boolean' },
    ...INPUT_OPTIONS,
  },
  async run(inputs, v, io) {
    if (inputs.length) throw new UsageError(`fetch reads live hosts only (--connect, --hosts), not files: ${inputs[0]}`);
    if (!v.output) throw new UsageError('fetch needs -o DIR, the folder to mirror the hosts into');
    if (!v.connect?.length && v.hosts === undefined) throw new UsageError('fetch needs hosts: --connect URI (repeatable) or --hosts FILE');
    if (v.inactive) throw new UsageError('fetch reads definitions (--inactive) unless told --running');
    if (!existsSync(v.output) && !existsSync(dirname(resolve(v.output)))) throw new UsageError(`-o ${v.output}: its parent folder does not exist`);
    const input = inputSettings(inputs, v, io, 'fetch');
    const diag = diagnostics(io, v);
    const summary = await fetchFleet(v.output, { ...input, running: Boolean(v.running), prune: Boolean(v.prune), onNotice: diag.runNotice }, (outcome, change, file) => {
      if (!diag.check(outcome)) return;
      if (change && change !== 'unchanged') io.stdout.write(`${change}\t${printable(file!)}\n`);
    });
    for (const f of summary.gone) io.stdout.write(`${summary.pruned && !summary.keptGone.includes(f) ? 'removed' : 'gone'}\t${printable(f)}\n`);
    if (summary.keptGone.length) diag.runNotice(`${summary.keptGone.length} gone file(s) kept: their host did not answer for every domain`);
    diag.finish();
    for (const e of summary.inputErrors) diag.inputError(e.path, e.reason);
    if (!v.quiet) {
      const domains = summary.hosts.reduce((n, h) => n + h.domains, 0);
      io.stderr.write(`${summary.hosts.length} of ${summary.asked} host(s) answered, ${domains} domain(s): ${summary.added.length} added, ${summary.changed.length} changed, ${summary.unchanged} unchanged, ${summary.gone.length} gone${summary.gone.length && !summary.pruned ? ' (--prune removes them)' : summary.gone.length > summary.keptGone.length ? ' (removed)' : ''}\n`);
    }
    return diag.failed ? ExitCode.Error : ExitCode.Ok;
  },
});
