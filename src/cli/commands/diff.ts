// src/cli/commands/diff.ts — compare two definitions after normalizing both.
import { ExitCode, UsageError, defineCommand } from '../command.js';
import { diffDefinitions } from '../../core/rewrite/rewrite-fleet.js';

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'Compare two domain definitions after normalizing both (unified diff)',
  usage: 'domfleet diff [options] A B   (each a file, -, or HOST:NAME of a --connect host)',
  optionHelp: [
    '--inactive          strip runtime-only state first (compare a live dump with a stored definition)',
    '-c, --connect URI   a live host (NAME=URI labels it): A or B may then be HOST:NAME, a domain there',
    '--connect-timeout S give up on a host that does not answer within S seconds (30)',
    'One of the two may be -, a document read from stdin.',
  ],
  examples: [
    'domfleet diff /etc/libvirt/qemu/web01.xml backup/web01.xml',
    'virsh dumpxml web01 | domfleet diff --inactive - defs/web01.xml',
    'domfleet diff --inactive -c kvm01=qemu+ssh://root@kvm01/system kvm01:web01 defs/kvm01/web01.xml',
  ],
  options: {
    inactive: { type: 'boolean' },
    connect: { type: 'string', short: 'c', multiple: true },
    'connect-timeout': { type: 'string' },
  },
  async run(positionals, v, io) {
    if (positionals.length !== 2) throw new UsageError('diff takes exactly two definitions');
    if (positionals[0] === '-' && positionals[1] === '-') throw new UsageError('only one of the two can be - (stdin)');
    const inputs: { path: string; bytes?: Uint8Array }[] = positionals.map((p) => (p === '-' ? { path: '<stdin>', bytes: io.readStdin() } : { path: p }));
    if (v.connect?.length) {
      // Read the live side the way it is compared: its definition when --inactive is given.
      const { LiveFleet, parseConnections } = await import('../../core/live/live-fleet.js');
      const timeout = v['connect-timeout'] === undefined ? undefined : Number(v['connect-timeout']) * 1000;
      const fleet = await LiveFleet.open(parseConnections(v.connect), { inactive: Boolean(v.inactive), timeoutMs: timeout });
      fleet.close();
      const failed = fleet.errors[0];
      if (failed) throw new UsageError(`${failed.uri}: host ${failed.label}: ${failed.reason}`);
      for (const input of inputs) {
        const live = fleet.domains.find((d) => `${d.label}:${d.name}` === input.path);
        if (live) input.bytes = live.xml;
        else if (/^[^/]+:[^/]+$/.test(input.path) && fleet.domains.some((d) => input.path.startsWith(`${d.label}:`))) throw new UsageError(`${input.path}: no such domain on that host`);
      }
    }
    const result = diffDefinitions(inputs[0], inputs[1], { inactive: Boolean(v.inactive) });
    io.stdout.write(result.patch);
    return result.same ? ExitCode.Ok : ExitCode.NoMatch;
  },
});
