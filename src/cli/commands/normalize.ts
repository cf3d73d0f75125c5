// src/cli/commands/normalize.ts — parse options, call core, render, return an exit code.
import { defineCommand } from '../command.js';
import { normalizeFleet } from '../../core/rewrite/rewrite-fleet.js';
import { REWRITE_HELP, REWRITE_OPTIONS, rewriteInputs, rewriteMode, rewriteRun, runRewrite } from '../rewrite-output.js';

export const normalizeCommand = defineCommand({
  name: 'normalize',
  summary: "Rewrite domain XML exactly as libvirt itself writes it (offline)",
  usage: 'domfleet normalize [options] [INPUT...]',
  optionHelp: [
    ...REWRITE_HELP,
    '--inactive          also strip runtime-only state of live dumps (ids, aliases, vnetN, pty paths …)',
    '--no-cache          run every file through the rules, even those known to be normal already',
    'With one input file and none of --in-place/--check/--diff/-o, the result goes to stdout;',
    'with no INPUT at all, one document is read from stdin.',
  ],
  examples: [
    'domfleet normalize vm.xml',
    'virsh dumpxml web01 | domfleet normalize --inactive',
    'domfleet normalize --check defs/',
    'domfleet normalize --diff --inactive dumps/',
    'domfleet normalize --in-place defs/',
    'domfleet normalize -o normalized/ backups/',
    'domfleet normalize --inactive --connect qemu+ssh://kvm01/system --apply',
  ],
  options: {
    ...REWRITE_OPTIONS,
    inactive: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
  },
  async run(inputs, v, io) {
    const inactive = Boolean(v.inactive);
    const mode = rewriteMode(v);
    const input = rewriteInputs(inputs, v, io, mode, 'normalize');
    const run = rewriteRun(io, mode, v);
    return runRewrite(input, mode, run, io, (live) => normalizeFleet(inputs, {
      ...input, ...live, inactive, withOriginal: mode.diff, withSourceHash: mode.inPlace, removeStaleScratch: run.removesStaleScratch,
      cache: !v['no-cache'], onProgress: run.diag.progress, onNotice: run.diag.runNotice,
    }, (file) => run.onFile(file)));
  },
});
