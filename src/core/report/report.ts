// domfleet report without printing: the fleet read into an inventory (hosts, domains, networks,
// storage, findings), written as an XML document that stylesheets/report.xsl renders as one
// self-contained HTML page, or as JSON/CSV for other tools.
import { discover } from '../read/inventory.js';
import { runFleet, type FileOutcome, type FleetInputOptions } from '../fleet/fleet.js';
import type { DomainRecord, InventoryRecord } from './inventory-job.js';
import { LintCollector, lintPlan, type LintFinding, type LintOptions } from '../lint/lint.js';
import { ruleDocUrl } from '../lint/rules.js';
import { compiledStylesheet, saxon } from '../engines/saxon.js';
import { VERSION } from '../version.js';
import { csvCell } from '../write/csv.js';

export type ReportDomain = DomainRecord & { host: string; file: string };


export interface HostSummary { name: string; domains: number; vcpus: number; memoryKib: number; types: Record<string, number> }

export interface Inventory {
  title: string;
  generated: string;
  hosts: HostSummary[];
  domains: ReportDomain[];
  networks: { kind: string; name: string; domains: string[] }[];
  storage: { source: string; domains: string[]; shared: boolean }[];
  /** lint's findings (same rules, same ids, same policy file): report and lint cannot disagree. */
  findings: LintFinding[];
  /** Inputs that could not be read as domains (missing, malformed, too large …): none are dropped silently. */
  errors: { path: string; line: number | null; reason: string }[];
}

export interface ReportOptions extends FleetInputOptions {
  title?: string;
  /** Which lint rules make the findings, as for lint (default: lint's defaults and policy file). */
  lint?: Pick<LintOptions, 'only' | 'disable' | 'enable' | 'severity' | 'bridges' | 'config' | 'schemaDir'>;
}

const label = (d: ReportDomain) => (d.host ? `${d.host}/${d.name}` : d.name);

export function buildInventory(domains: ReportDomain[], title: string, findings: LintFinding[] = []): Inventory {
  const hosts = new Map<string, HostSummary>();
  for (const d of domains) {
    const h = hosts.get(d.host) ?? { name: d.host, domains: 0, vcpus: 0, memoryKib: 0, types: {} };
    h.domains++;
    h.vcpus += d.vcpus;
    h.memoryKib += d.memoryKib ?? 0;
    h.types[d.type] = (h.types[d.type] ?? 0) + 1;
    hosts.set(d.host, h);
  }
  const networks = new Map<string, { kind: string; name: string; domains: string[] }>();
  const storage = new Map<string, { source: string; domains: string[]; safe: boolean[] }>();
  for (const d of domains) {
    for (const n of d.nics) {
      if (!n.source) continue;
      const key = `${n.type}\u0000${n.source}`;
      const entry = networks.get(key) ?? { kind: n.type, name: n.source, domains: [] };
      if (!entry.domains.includes(label(d))) entry.domains.push(label(d));
      networks.set(key, entry);
    }
    for (const disk of d.disks) {
      if (!disk.source) continue;
      const entry = storage.get(disk.source) ?? { source: disk.source, domains: [], safe: [] };
      entry.domains.push(label(d));
      entry.safe.push(disk.shareable || disk.readonly);
      storage.set(disk.source, entry);
    }
  }
  return {
    title,
    generated: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    hosts: [...hosts.values()].sort((a, b) => a.name.localeCompare(b.name)),
    domains,
    networks: [...networks.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
    storage: [...storage.values()].map((s) => ({ source: s.source, domains: s.domains, shared: s.domains.length > 1 }))
      .sort((a, b) => a.source.localeCompare(b.source)),
    findings,
    errors: [],
  };
}

export async function collectInventory(inputs: string[], options: ReportOptions, onFile: (o: FileOutcome<InventoryRecord>) => boolean): Promise<{ inventory: Inventory; inputErrors: { path: string; reason: string }[] }> {
  const lint = new LintCollector(lintPlan(inputs, options.lint));
  const found = await discover(inputs, options);
  const domains: ReportDomain[] = [];
  const fileErrors: Inventory['errors'] = [];
  await runFleet<InventoryRecord>({ kind: 'inventory', maxFileSize: options.maxFileSize, lint: lint.jobSpec(options.maxFileSize) }, found.entries, (outcome) => {
    if (outcome.error) fileErrors.push({ path: outcome.path, line: outcome.error.line, reason: outcome.error.reason });
    if (onFile(outcome)) {
      domains.push({ ...outcome.result!.domain, host: outcome.host, file: outcome.path });
      lint.add(outcome.path, outcome.host, outcome.result!.lint);
    }
  }, { workers: options.workers, onProgress: options.onProgress });
  const inputErrors = found.errors.map((e) => ({ path: e.path, reason: e.reason }));
  const inventory = buildInventory(domains, options.title ?? 'Domain inventory', lint.findings());
  inventory.errors = [...inputErrors.map((e) => ({ ...e, line: null })), ...fileErrors];
  return { inventory, inputErrors };
}

// eslint-disable-next-line no-control-regex
const esc = (s: string | number) => String(s).replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const attrs = (o: Record<string, string | number | boolean | null>) =>
  Object.entries(o).filter(([, v]) => v !== null && v !== '').map(([k, v]) => ` ${k}="${esc(String(v))}"`).join('');

/** The inventory as the XML document stylesheets/report.xsl reads. */
export function inventoryXml(inv: Inventory): string {
  const out: string[] = [`<inventory${attrs({ title: inv.title, generated: inv.generated, version: VERSION })}>`];
  for (const h of inv.hosts) {
    out.push(`<host${attrs({ name: h.name, domains: h.domains, vcpus: h.vcpus, memoryKib: h.memoryKib })}>`);
    for (const [t, n] of Object.entries(h.types)) out.push(`<type${attrs({ name: t, count: n })}/>`);
    out.push('</host>');
  }
  for (const d of inv.domains) {
    out.push(`<domain${attrs({ host: d.host, file: d.file, name: d.name, uuid: d.uuid, type: d.type, os: d.osType, vcpus: d.vcpus, memoryKib: d.memoryKib })}>`);
    if (d.title) out.push(`<title>${esc(d.title)}</title>`);
    if (d.description) out.push(`<description>${esc(d.description)}</description>`);
    for (const x of d.disks) out.push(`<disk${attrs({ type: x.type, device: x.device, source: x.source, target: x.target, bus: x.bus })}/>`);
    for (const x of d.nics) out.push(`<nic${attrs({ type: x.type, mac: x.mac, source: x.source, model: x.model })}/>`);
    for (const x of d.graphics) out.push(`<graphics${attrs({ type: x.type, listen: x.listen, port: x.port })}/>`);
    for (const x of d.legacy) out.push(`<legacy${attrs({ construct: x })}/>`);
    out.push('</domain>');
  }
  for (const n of inv.networks) out.push(`<network${attrs({ kind: n.kind, name: n.name })}>${n.domains.map((d) => `<member${attrs({ domain: d })}/>`).join('')}</network>`);
  for (const s of inv.storage) out.push(`<storage${attrs({ source: s.source, shared: s.shared })}>${s.domains.map((d) => `<member${attrs({ domain: d })}/>`).join('')}</storage>`);
  for (const f of inv.findings) {
    out.push(`<finding${attrs({ rule: f.rule, severity: f.severity, file: f.file, line: f.line, host: f.host, domain: f.domain, help: ruleDocUrl(f.rule) })}>${esc(f.message)}</finding>`);
  }
  out.push('</inventory>');
  return out.join('\n');
}

/** The self-contained HTML report. */
export function renderHtml(inv: Inventory): string {
  const result = saxon().transform({
    ...compiledStylesheet('stylesheets/report.sef.json'),
    sourceText: inventoryXml(inv),
    destination: 'serialized',
  }, 'sync');
  return result.principalResult as string;
}

/** JSON for other tools: { hosts, domains, networks, storage, findings, errors }. */
export function renderJson(inv: Inventory): string {
  return JSON.stringify(inv, null, 2) + '\n';
}

/** CSV: one row per domain, the report's domain table (formula-guarded unless raw: see csv.ts). */
export function renderCsv(inv: Inventory, options: { raw?: boolean } = {}): string {
  const field = (s: string | number | null) => csvCell(s === null ? '' : String(s), options.raw);
  const rows = [['host', 'name', 'uuid', 'type', 'vcpus', 'memory_kib', 'disks', 'nics', 'graphics', 'legacy_constructs', 'file']];
  for (const d of inv.domains) {
    rows.push([d.host, d.name, d.uuid, d.type, String(d.vcpus), d.memoryKib === null ? '' : String(d.memoryKib), String(d.disks.length), String(d.nics.length),
      d.graphics.map((g) => g.type).join(' '), String(d.legacy.length), d.file]);
  }
  return rows.map((r) => r.map(field).join(',')).join('\n') + '\n';
}

/** Library entry point: the fleet's inventory as data (hosts, domains, networks, storage, findings, and the inputs it could not read). */
export async function inventory(inputs: string | string[], options: ReportOptions = {}): Promise<Inventory> {
  return (await collectInventory(Array.isArray(inputs) ? inputs : [inputs], options, (o) => Boolean(o.result))).inventory;
}

/** Library entry point: the report as HTML, JSON or CSV text. */
export async function report(inputs: string | string[], options: ReportOptions & { format?: 'html' | 'json' | 'csv'; csvRaw?: boolean } = {}): Promise<string> {
  const { inventory } = await collectInventory(Array.isArray(inputs) ? inputs : [inputs], options, (o) => Boolean(o.result));
  return options.format === 'json' ? renderJson(inventory) : options.format === 'csv' ? renderCsv(inventory, { raw: options.csvRaw }) : renderHtml(inventory);
}
