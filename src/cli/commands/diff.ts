// src/cli/commands/diff.ts — compare two definitions after normalizing both.
import { DomfleetError } from '../../core/errors.js';
import { ExitCode, UsageError, defineCommand, parseTimeout } from '../command.js';
import { diffDefinitions } from '../../core/rewrite/rewrite-fleet.js';

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'Compare two domain definitions after normalizing both (unified diff)',
  usage: 'domfleet diff [options] A B   (each a file, -, or HOST:NAME of a --connect host)',
  optionHelp: [
    '--inactive          strip runtime-only state first (compare a live dump with a stored definition);',
    '                    for HOST:NAME, read the definition (dumpxml --inactive), not the running state',
    '-c, --connect URI   a live host (NAME=URI labels it): A or B may then be HOST:NAME, a domain there',
    '--security-info     HOST:NAME is read with its secrets (to compare with a file that has them)',
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
    'security-info': { type: 'boolean' },
    'connect-timeout': { type: 'string' },
  },
  async run(positionals, v, io) {
    if (positionals.length !== 2) throw new UsageError('diff takes exactly two definitions');
    if (positionals[0] === '-' && positionals[1] === '-') throw new UsageError('only one of the two can be - (stdin)');
    if (!v.connect?.length && (v['security-info'] || v['connect-timeout'] !== undefined)) throw new UsageError('--security-info and --connect-timeout go with --connect');
    const inputs: { path: string; bytes?: Uint8Array }[] = positionals.map((p) => (p === '-' ? { path: '<stdin>', bytes: io.readStdin() } : { path: p }));
    if (v.connect?.length) {
      const { LiveFleet, parseConnections } = await import('../../core/live/live-fleet.js');
      const connections = parseConnections(v.connect);
      // HOST:NAME for a host given with --connect; anything else is a file.
      const wanted: Record<string, string[]> = {};
      const live = inputs.filter((input) => {
        const colon = input.path.indexOf(':');
        const label = input.path.slice(0, colon);
        if (colon <= 0 || !connections.some((c) => c.label === label)) return false;
        (wanted[label] ??= []).push(input.path.slice(colon + 1));
        return true;
      });
      if (!live.length) throw new UsageError(`with --connect, A or B names a domain as HOST:NAME (hosts: ${connections.map((c) => c.label).join(', ')})`);
      const fleet = await LiveFleet.open(connections.filter((c) => wanted[c.label]), {
        inactive: Boolean(v.inactive), securityInfo: Boolean(v['security-info']), timeoutMs: parseTimeout(v['connect-timeout']), only: wanted,
      });
      fleet.close();
      const failed = fleet.errors[0];
      if (failed) throw new DomfleetError(`${failed.uri}: host ${failed.label}: ${failed.reason}`);
      for (const input of live) {
        const found = fleet.domains.find((d) => `${d.label}:${d.name}` === input.path);
        if (!found) throw new DomfleetError(`${input.path}: no such domain on that host`);
        input.bytes = found.xml;
      }
    }
    const result = diffDefinitions(inputs[0], inputs[1], { inactive: Boolean(v.inactive) });
    io.stdout.write(result.patch);
    return result.same ? ExitCode.Ok : ExitCode.NoMatch;
  },
});
