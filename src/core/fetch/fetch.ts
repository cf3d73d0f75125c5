// domfleet fetch without printing: every domain of every live host, normalized, written to
// DIR/<host>/<name>.xml atomically, so a fleet can be kept in git and diffed over time. A rerun
// writes only what changed and says what was added, changed, unchanged and gone; --prune removes
// the files of domains that are gone, on hosts that answered (a host that did not answer keeps
// its files: being unreachable is not being empty).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FileOutcome, FleetInputOptions } from '../fleet/fleet.js';
import { normalizeFleet } from '../rewrite/rewrite-fleet.js';
import type { NormalizedFile } from '../rewrite/rewrite-job.js';
import { writeAtomic } from '../write/write.js';
import { UsageError } from '../errors.js';
import { LiveFleet, parseConnections } from '../live/live-fleet.js';

export interface FetchOptions extends FleetInputOptions {
  /** Keep the running state (dumpxml without --inactive, normalized as it is) instead of the definitions. */
  running?: boolean;
  /** Remove files of domains that no longer exist on hosts that answered. */
  prune?: boolean;
}

export type FetchChange = 'added' | 'changed' | 'unchanged';

export interface FetchSummary {
  added: string[];
  changed: string[];
  unchanged: number;
  /** Files of domains no longer on their (answering) host; removed when pruning. */
  gone: string[];
  pruned: boolean;
  /** Gone files kept despite --prune: their host did not answer for every domain. */
  keptGone: string[];
  hosts: { label: string; uri: string; domains: number }[];
  /** How many hosts were asked. */
  asked: number;
  inputErrors: { path: string; reason: string }[];
}

/** Mirrors the live hosts into `outDir`; `onFile` hears each domain's outcome and what became of its file. */
export async function fetchFleet(outDir: string, options: FetchOptions, onFile: (outcome: FileOutcome<NormalizedFile>, change: FetchChange | null, file: string | null) => void = () => {}): Promise<FetchSummary> {
  const connections = parseConnections(options.connect, options.hostsFile);
  if (!connections.length) throw new UsageError('fetch needs hosts: --connect URI (repeatable) or --hosts FILE');
  const inactive = !options.running;
  const fleet = await LiveFleet.open(connections, { onNotice: options.onNotice, ...options.live, inactive });
  const summary: FetchSummary = { added: [], changed: [], unchanged: 0, gone: [], pruned: Boolean(options.prune), keptGone: [], hosts: [], asked: connections.length, inputErrors: [] };
  const written = new Set<string>();
  /** Hosts with a domain that could not be read, parsed or written: their folders are not pruned. */
  const incomplete = new Set<string>();
  // Secrets are for the operator's eyes: files that hold them are not readable by others.
  const newMode = options.live?.securityInfo ? 0o600 : 0o644;
  try {
    const result = await normalizeFleet([], { ...options, connect: undefined, hostsFile: undefined, liveFleet: fleet, inactive, cache: false }, (file) => {
      if (!file.result) {
        if (file.live) incomplete.add(file.live.label);
        onFile(file, null, null);
        return;
      }
      const target = join(outDir, file.relative);
      written.add(target);
      const text = file.result.normalized;
      const before = existsSync(target) ? readFileSync(target, 'utf8') : null;
      if (before === text) {
        summary.unchanged++;
        onFile(file, 'unchanged', target);
        return;
      }
      try {
        writeAtomic(target, text, { createFolders: true, newMode });
      } catch (e) {
        if (file.live) incomplete.add(file.live.label);
        onFile({ path: file.path, host: file.host, error: { line: null, reason: `cannot write ${target}: ${(e as Error).message}` } }, null, null);
        return;
      }
      (before === null ? summary.added : summary.changed).push(target);
      onFile(file, before === null ? 'added' : 'changed', target);
    });
    summary.inputErrors = result.inputErrors;
  } finally {
    fleet.close();
  }
  const failed = new Set(fleet.errors.map((e) => e.label));
  for (const c of connections) {
    if (failed.has(c.label) && !fleet.domains.some((d) => d.label === c.label)) continue;
    summary.hosts.push({ label: c.label, uri: c.uri, domains: fleet.domains.filter((d) => d.label === c.label).length });
    const folder = join(outDir, c.label);
    if (!existsSync(folder)) continue;
    // A host that did not answer for every domain is not known to have lost the others.
    const prune = options.prune && !failed.has(c.label) && !incomplete.has(c.label);
    for (const name of readdirSync(folder).filter((f) => f.endsWith('.xml')).sort()) {
      const file = join(folder, name);
      if (written.has(file)) continue;
      summary.gone.push(file);
      if (prune) rmSync(file, { force: true });
      else if (options.prune) summary.keptGone.push(file);
    }
  }
  return summary;
}
