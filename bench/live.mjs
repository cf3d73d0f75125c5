// Live-host benchmark for npm run bench: domfleet query over --connect of three libvirt
// test-driver hosts (BENCH_LIVE_SIZE domains each, default 1000) against what an operator runs
// today, virsh dumpxml in a shell loop over the same domains. The test driver loads its whole
// host file at every connection (~0.5 s at 1000 domains), so the loop, one virsh per domain,
// would take ~25 minutes a run: it is timed over BENCH_LIVE_SAMPLE domains per host (default
// 30) and scaled to the whole fleet, which the table says.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fakeHosts } from '../test/helpers/fake-hosts.mjs';

export function benchLive({ OUT, BIN, timed, have }) {
  if (!have('virsh')) {
    console.error('virsh is not installed (apt-get install libvirt-clients): the live-host rows are left out');
    return [];
  }
  const size = Number(process.env.BENCH_LIVE_SIZE ?? 1000);
  const sample = Math.min(size, Number(process.env.BENCH_LIVE_SAMPLE ?? 30));
  const dir = join(OUT, `live-${size}`);
  mkdirSync(dir, { recursive: true });
  const hosts = fakeHosts(dir, ['kvm01', 'kvm02', 'kvm03'], size);
  console.error(`live hosts, 3 × ${size} domains…`);
  const ours = timed(BIN, ['query', '-q', ...hosts.uris.flatMap((u) => ['--connect', u]), 'bridged-nics']);
  const loop = hosts.uris.map((u) => `virsh -q -c '${u}' list --all --name | head -n ${sample} | while read -r d; do [ -n "$d" ] && virsh -q -c '${u}' dumpxml "$d"; done`).join('; ');
  const peer = timed('bash', ['-c', `{ ${loop}; } > /dev/null`]);
  const scaled = peer.wall * (size / sample);
  // What a careful operator would script instead: one virsh per host running every dumpxml.
  const batch = timed('bash', ['-c', `{ ${hosts.uris.map((u) => `virsh -q -c '${u}' "$(virsh -q -c '${u}' list --all --name | sed '/^$/d; s/.*/dumpxml &;/' | tr '\\n' ' ')"`).join('; ')}; } > /dev/null`]);
  const label = `query bridged-nics over 3 live hosts (libvirt test driver), ${3 * size} domains`;
  const rows = [
    { label, name: `virsh dumpxml in a shell loop (${3 * sample} domains timed: ${peer.wall.toFixed(1)} s, scaled ×${(size / sample).toFixed(1)})`, wall: scaled, rss: peer.rss, ratio: 1 },
    { label, name: 'virsh, one process per host running every dumpxml (hosts one after another)', wall: batch.wall, rss: batch.rss, ratio: batch.wall / scaled },
    { label, name: 'domfleet query --connect ×3', wall: ours.wall, rss: ours.rss, ratio: ours.wall / scaled },
  ];
  rows[2].targets = [`query over 3 live hosts of ${size} domains: ${ours.wall.toFixed(1)} s, ${(ours.wall / scaled).toFixed(3)}× virsh dumpxml in a loop (scaled from ${3 * sample} domains), ${(ours.wall / batch.wall).toFixed(2)}× one batch virsh per host`];
  return rows;
}
