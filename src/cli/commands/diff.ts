// src/cli/commands/diff.ts — compare two definitions after normalizing both.
import { ExitCode, UsageError, defineCommand } from '../command.js';
import { diffDefinitions } from '../../core/rewrite/rewrite-fleet.js';

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'Compare two domain definitions after normalizing both (unified diff)',
  usage: 'domfleet diff [--inactive] A.xml|- B.xml|-',
  optionHelp: [
    '--inactive          strip runtime-only state first (compare a live dump with a stored definition)',
    'One of the two may be -, a document read from stdin.',
  ],
  examples: [
    'domfleet diff /etc/libvirt/qemu/web01.xml backup/web01.xml',
    'virsh dumpxml web01 | domfleet diff --inactive - defs/web01.xml',
  ],
  options: { inactive: { type: 'boolean' } },
  async run(positionals, v, io) {
    if (positionals.length !== 2) throw new UsageError('diff takes exactly two files');
    if (positionals[0] === '-' && positionals[1] === '-') throw new UsageError('only one of the two can be - (stdin)');
    const [a, b] = positionals.map((p) => (p === '-' ? { path: '<stdin>', bytes: io.readStdin() } : { path: p }));
    const result = diffDefinitions(a, b, { inactive: Boolean(v.inactive) });
    io.stdout.write(result.patch);
    return result.same ? ExitCode.Ok : ExitCode.NoMatch;
  },
});
