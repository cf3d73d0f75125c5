// Fleets that live on hypervisor hosts: each --connect URI (or line of a --hosts file) gets one
// long-lived virsh, hosts are read in parallel up to a bound, and every domain's XML comes back
// labelled with its host. The sessions stay open so that changes can be defined back through the
// same connection (define()), then close() ends them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../errors.js';
import { HostError, VirshMissingError, VirshSession, virshQuote } from './virsh.js';

export interface Connection {
  uri: string;
  /** The host label its domains get: NAME from NAME=URI, else derived from the URI. */
  label: string;
}

export interface LiveReadOptions {
  /** Only persistent (defined) domains, not transient ones. */
  persistentOnly?: boolean;
  /** dumpxml --inactive: the definition, not the running state. */
  inactive?: boolean;
  /** dumpxml --security-info: include passwords and other secrets (off unless asked). */
  securityInfo?: boolean;
  /** Per host: how long any one answer may take (default 30 s). */
  timeoutMs?: number;
  /** Hosts read at once (default 4). */
  parallel?: number;
  /** Told as each host is done: how many domains, or why it failed. */
  onHost?: (label: string, result: { domains: number } | { error: string }) => void;
  /** Told about things that do not fail a host (a domain gone between listing and reading). */
  onNotice?: (message: string) => void;
  /** The virsh program (tests point it elsewhere). */
  virsh?: string;
  /** Per host label, the only domains to read (by name), instead of every domain listed. */
  only?: Record<string, string[]>;
}

export interface LiveDomain {
  label: string;
  uri: string;
  uuid: string;
  name: string;
  xml: Uint8Array;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** The host a URI names: its host name, localhost for a local URI, the file name for test:///…/NAME.xml. */
export function hostLabel(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri;
  }
  if (url.hostname) return url.hostname;
  if (url.protocol === 'test:' && url.pathname !== '/default') return basename(url.pathname).replace(/\.xml$/, '') || 'test';
  return 'localhost';
}

/** NAME=URI or URI; a URI starts with a scheme, a label never has ':' or '/'. */
function parseConnection(text: string, where: string): Connection {
  const value = text.trim();
  const named = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/.exec(value);
  const uri = named ? named[2].trim() : value;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(uri)) throw new UsageError(`${where}: '${value}' is not a libvirt URI (qemu+ssh://host/system, NAME=URI …)`);
  return { uri, label: named ? named[1] : hostLabel(uri) };
}

/** The connections from --connect values and a --hosts file (one per line, # comments). */
export function parseConnections(connect: string[] = [], hostsFile?: string): Connection[] {
  const list = connect.map((c) => parseConnection(c, '--connect'));
  if (hostsFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(hostsFile, 'utf8');
    } catch (e) {
      throw new UsageError(`--hosts ${hostsFile}: ${(e as Error).message}`);
    }
    const before = list.length;
    text.split('\n').forEach((line, i) => {
      const content = line.replace(/#.*/, '').trim();
      if (content) list.push(parseConnection(content, `${hostsFile}:${i + 1}`));
    });
    // An empty list would make a green run out of no work at all.
    if (list.length === before) throw new UsageError(`--hosts ${hostsFile} lists no hosts`);
  }
  const labels = new Map<string, string>();
  for (const c of list) {
    const other = labels.get(c.label);
    if (other !== undefined && other !== c.uri) throw new UsageError(`${other} and ${c.uri} would both be labelled '${c.label}': give them different names (NAME=URI)`);
    labels.set(c.label, c.uri);
  }
  return list.filter((c, i) => list.findIndex((d) => d.uri === c.uri) === i);
}

/** A domain name as a file name: libvirt forbids '/' in names, but a file name must not lead anywhere else either. */
export function fileNameFor(name: string): string {
  return `${name.replace(/[/\0]/g, '_').replace(/^\.+/, (dots) => '_'.repeat(dots.length)) || '_'}.xml`;
}

export class LiveFleet {
  readonly domains: LiveDomain[] = [];
  readonly errors: { uri: string; label: string; reason: string }[] = [];
  private readonly sessions = new Map<string, VirshSession>();
  /** Every session started, answered or not: close() ends them all. */
  private readonly started = new Set<VirshSession>();
  private scratch: string | null = null;

  private constructor(private readonly options: LiveReadOptions) {}

  /** Connects to every host and reads every domain; hosts that fail are in `errors`. */
  static async open(connections: Connection[], options: LiveReadOptions = {}): Promise<LiveFleet> {
    const fleet = new LiveFleet(options);
    const perHost: LiveDomain[][] = connections.map(() => []);
    let next = 0;
    const worker = async () => {
      while (next < connections.length) {
        const i = next++;
        perHost[i] = await fleet.readHost(connections[i]);
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(options.parallel ?? 4, connections.length) }, worker));
    } catch (e) {
      fleet.close();
      throw e;
    }
    // Hosts in the order given, whichever answered first.
    for (const list of perHost) fleet.domains.push(...list);
    if (fleet.errors.some((e) => e.reason === new VirshMissingError().message)) {
      fleet.close();
      throw new VirshMissingError();
    }
    return fleet;
  }

  private async readHost(c: Connection): Promise<LiveDomain[]> {
    const session = new VirshSession(c.uri, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, this.options.virsh);
    this.started.add(session);
    try {
      const named = this.options.only?.[c.label];
      let uuids: string[];
      if (named) {
        // Asked for by name: read those, by name (a UUID is what the listing gives otherwise).
        uuids = named;
      } else {
        const listed = await session.run(`list --all --uuid${this.options.persistentOnly ? ' --persistent' : ''}`);
        if (listed.error) throw new HostError(listed.error.replace(/^error: /gm, ''));
        uuids = listed.output.split('\n').map((l) => l.trim()).filter(Boolean);
      }
      const flags = `${this.options.inactive ? ' --inactive' : ''}${this.options.securityInfo ? ' --security-info' : ''}`;
      const domains: LiveDomain[] = [];
      for (const uuid of uuids) {
        const dumped = await session.run(`dumpxml${flags} --domain ${virshQuote(uuid)}`);
        if (!dumped.output.trim()) {
          const said = dumped.error.replace(/^error: /gm, '').replace(/\n/g, '; ') || 'no definition';
          // Undefined between listing and reading: a notice. Anything else is this host failing
          // for one domain: an error, and its folder is then not pruned by fetch.
          if (/failed to get domain|domain not found|no domain with matching/i.test(said)) this.options.onNotice?.(`${c.label}: domain ${uuid} was listed but could not be read (gone since?): ${said}`);
          else this.errors.push({ uri: c.uri, label: c.label, reason: `domain ${uuid} could not be read: ${said}` });
          continue;
        }
        const name = /<name>([^<]*)<\/name>/.exec(dumped.output)?.[1] ?? uuid;
        const id = /<uuid>([^<]*)<\/uuid>/.exec(dumped.output)?.[1]?.trim() ?? uuid;
        domains.push({ label: c.label, uri: c.uri, uuid: id, name: unescapeXml(name), xml: Buffer.from(dumped.output) });
      }
      this.sessions.set(c.label, session);
      this.options.onHost?.(c.label, { domains: domains.length });
      return domains;
    } catch (e) {
      session.close();
      if (!(e instanceof HostError) && !(e instanceof VirshMissingError)) throw e;
      this.errors.push({ uri: c.uri, label: c.label, reason: e.message });
      this.options.onHost?.(c.label, { error: e.message });
      return [];
    }
  }

  /**
   * Defines a changed definition through the host's connection (virsh define), then reads back
   * what libvirt stored. `readAs` is the definition as it was read (dumpxml --inactive
   * --security-info): if the host's copy is no longer that, someone changed it since, and it is
   * not overwritten. libvirt's refusal comes back as `error`.
   */
  async define(label: string, xml: string, uuid: string, readAs: string): Promise<{ error: string } | { stored: string }> {
    const session = this.sessions.get(label);
    if (!session) return { error: `no connection to ${label}` };
    const current = `dumpxml --inactive --security-info --domain ${virshQuote(uuid)}`;
    let defining = false;
    try {
      const now = await session.run(current);
      if (!now.output.trim()) return { error: `it could not be read again before defining: ${now.error.replace(/^error: /gm, '') || 'gone'}` };
      if (now.output !== readAs) return { error: 'its definition changed on the host since it was read: not defined (run again to see the new diff)' };
      this.scratch ??= mkdtempSync(join(tmpdir(), 'domfleet-define-'));
      const file = join(this.scratch, `${uuid}.xml`);
      writeFileSync(file, xml, { mode: 0o600 });
      try {
        defining = true;
        // virsh -q says nothing when define succeeds; a refusal is on stderr.
        const defined = await session.run(`define --file ${virshQuote(file)}`);
        if (defined.error) {
          const said = defined.error.replace(/^error: /gm, '').split('\n').filter((l) => !l.startsWith('Failed to define domain from '));
          return { error: `libvirt refused it: ${said.join('; ') || defined.error}` };
        }
      } finally {
        rmSync(file, { force: true });
      }
      const stored = await session.run(current);
      return { stored: stored.output };
    } catch (e) {
      // Lost during define: libvirt may or may not have taken it.
      return { error: defining ? `the host stopped answering during define (${(e as Error).message}): check it with virsh dumpxml --inactive` : (e as Error).message };
    }
  }

  close(): void {
    for (const s of this.started) s.close();
    this.started.clear();
    this.sessions.clear();
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = null;
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()];
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return Number.isFinite(code) ? String.fromCodePoint(code) : m;
  });
}
