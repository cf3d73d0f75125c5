// What the report needs from one domain file, read with libxml2's XPath: identity, size, disks,
// NICs, graphics, and the old-format constructs it still uses. Secrets are never read.
import { XmlXPath, type XmlDocument, type XmlNode } from 'libxml2-wasm';
import { outcomeOf, type FileOutcome } from '../fleet/outcome.js';
import type { InventoryEntry } from '../read/inventory.js';
import { parseDomain } from '../read/parse.js';
import { toKib } from '../units.js';
import { constructs } from '../query/saved-queries.js';
import { inspectProlog, readBytes } from '../read/read-file.js';
import { createLintJob, type FileLint, type LintJobSpec } from '../lint/lint-job.js';

export interface DiskRecord { type: string; device: string; source: string; target: string; bus: string; shareable: boolean; readonly: boolean }
export interface NicRecord { type: string; mac: string; source: string; model: string }
export interface GraphicsRecord { type: string; listen: string; port: string }

export interface DomainRecord {
  name: string;
  uuid: string;
  type: string;
  title: string;
  description: string;
  osType: string;
  vcpus: number;
  memoryKib: number | null;
  disks: DiskRecord[];
  nics: NicRecord[];
  graphics: GraphicsRecord[];
  /** Old-format constructs found (labels, as the legacy-syntax saved query names them). */
  legacy: string[];
}

/** A domain's record and its lint (findings and cross-file facts), from one parse. */
export interface InventoryRecord { domain: DomainRecord; lint: FileLint }


/** The old-format constructs: the one list (queries/legacy-syntax.json), in XPath 1.0 so libxml2 counts them. */
const LEGACY = constructs('legacy-syntax');

export interface InventoryJobSpec {
  kind: 'inventory';
  maxFileSize?: number;
  /** The lint rules to run on each document as it is read: report's findings are lint's. */
  lint: LintJobSpec;
}

export function createInventoryJob(spec: InventoryJobSpec) {
  const compiled = new Map<string, XmlXPath>();
  const xp = (expr: string) => {
    let c = compiled.get(expr);
    if (!c) { c = XmlXPath.compile(expr); compiled.set(expr, c); }
    return c;
  };
  const str = (node: XmlNode | XmlDocument, expr: string) => String(node.eval(xp(`string(${expr})`)));
  const nodes = (doc: XmlDocument, expr: string) => doc.eval(xp(expr)) as XmlNode[];
  const lint = createLintJob(spec.lint);
  return {
    run(entries: InventoryEntry[]): FileOutcome<InventoryRecord>[] {
      return entries.map((entry) => outcomeOf(entry, (warn) => {
        const bytes = readBytes(entry, spec.maxFileSize);
        warn(inspectProlog(bytes).warnings);
        const doc = parseDomain(entry.path, bytes);
        try {
          const domain: DomainRecord = {
            name: str(doc, '/domain/name'),
            uuid: str(doc, '/domain/uuid').trim().toLowerCase(),
            type: str(doc, '/domain/@type'),
            title: str(doc, '/domain/title'),
            description: str(doc, '/domain/description'),
            osType: str(doc, '/domain/os/type').trim(),
            vcpus: Number(str(doc, '/domain/vcpu').trim()) || 1,
            memoryKib: toKib(str(doc, '/domain/memory'), str(doc, '/domain/memory/@unit')),
            disks: nodes(doc, '/domain/devices/disk').map((d) => ({
              type: str(d, '@type'), device: str(d, '@device') || 'disk',
              source: str(d, '(source/@file | source/@dev | source/@dir | source/@name | source/@volume)[1]'),
              target: str(d, 'target/@dev'), bus: str(d, 'target/@bus'),
              shareable: Boolean(d.eval(xp('boolean(shareable)'))), readonly: Boolean(d.eval(xp('boolean(readonly)'))),
            })),
            nics: nodes(doc, '/domain/devices/interface').map((n) => ({
              type: str(n, '@type'), mac: str(n, 'mac/@address').toLowerCase(),
              source: str(n, '(source/@bridge | source/@network | source/@dev | source/@address | source/@path)[1]'),
              model: str(n, 'model/@type'),
            })),
            graphics: nodes(doc, '/domain/devices/graphics').map((g) => ({
              type: str(g, '@type'), listen: str(g, '(@listen | listen/@address | listen/@socket)[1]'), port: str(g, '@port'),
            })),
            legacy: LEGACY.filter((c) => Number(doc.eval(xp(`count(${c.xpath})`))) > 0).map((c) => c.label),
          };
          return { domain, lint: lint.lintDocument(doc, () => parseDomain(entry.path, bytes)) };
        } finally {
          doc.dispose();
        }
      }));
    },
    dispose() {
      for (const c of compiled.values()) c.dispose();
      lint.dispose();
    },
  };
}
