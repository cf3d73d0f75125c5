// Rewriting a chunk of files (normalize or migrate): each is read and vetted on its own (bad
// files become per-file errors), then the good ones go through the stylesheet in one call; if
// that call fails, they go one by one so only the file at fault fails.
import { rewriteResult, sourceText } from './rewrite-result.js';
import { outcomeOf, type FileOutcome } from '../fleet/outcome.js';
import type { InventoryEntry } from '../read/inventory.js';
import { normalizePrepared, prepare, type NormalizeOptions, type PreparedDocument } from '../normalize/normalize.js';
import { migratePrepared, type Change, type MigrateOptions } from '../migrate/migrate.js';
import { inspectProlog, readBytes } from '../read/read-file.js';
import { transformFile, type TransformRun } from '../transform/transform.js';
import { loadKnownNormal } from '../normalize/normal-cache.js';
import { contentHash as textHash } from '../write/write.js';

interface RewriteSettings {
  withOriginal?: boolean;
  /** Hash the bytes read, so a writer can tell whether the file changed since (see replaceFile). */
  withSourceHash?: boolean;
  maxFileSize?: number;
}

export type RewriteJobSpec = RewriteSettings & (
  | { kind: 'normalize'; options: NormalizeOptions; useCache?: boolean }
  | { kind: 'migrate'; options: MigrateOptions; useCache?: undefined }
  | { kind: 'transform'; options: TransformRun; useCache?: undefined });

export interface NormalizedFile {
  normalized: string;
  /** False when the file's bytes are already exactly the result. */
  changed: boolean;
  original?: string;
  /** migrate: what each rule changed ([] when there was nothing to migrate). */
  changes?: Change[];
  /** Hash of a normal text this run produced, for the known-normal cache. */
  producedHash?: string;
  /** Hash of the bytes that were read (withSourceHash). */
  sourceHash?: string;
  /** The file reads differently from what its author meant (see inspectProlog): not rewritten without --force. */
  suspect?: boolean;
  /**
   * transform: the input's normal form, so that --diff shows the transform's own change, and
   * whether writing the result also normalizes the file (its bytes were not normal).
   */
  ownChange?: { before: string; alsoNormalizes: boolean };
}

/** Reads a file for rewriting: its bytes, the warnings about them, and the facts the writer needs. */
function readForRewrite(entry: InventoryEntry, spec: RewriteSettings, warn: (w: string[]) => void) {
  const bytes = readBytes(entry, spec.maxFileSize);
  const { warnings, suspect } = inspectProlog(bytes);
  warn(warnings);
  const facts: Pick<NormalizedFile, 'sourceHash' | 'suspect'> = {};
  if (spec.withSourceHash) facts.sourceHash = textHash(bytes);
  if (suspect) facts.suspect = true;
  return { bytes, facts };
}

interface Prepared { bytes: Buffer; doc: PreparedDocument; facts: Pick<NormalizedFile, 'sourceHash' | 'suspect'> }

/** Transforms run one file per stylesheet call: a user stylesheet expects one document. */
export function createTransformJob(spec: Extract<RewriteJobSpec, { kind: 'transform' }>) {
  return {
    run: (entries: InventoryEntry[]): FileOutcome<NormalizedFile>[] => entries.map((entry) => outcomeOf(entry, (warn) => {
      const { bytes, facts } = readForRewrite(entry, spec, warn);
      const transformed = transformFile(entry.path, bytes, spec.options);
      const { text, changed } = rewriteResult(bytes, transformed.text);
      const result: NormalizedFile = { normalized: text, changed, ...facts };
      if (spec.withOriginal) {
        result.original = sourceText(bytes);
        if (changed && !spec.options.noNormalize) result.ownChange = { before: transformed.before, alsoNormalizes: transformed.before !== result.original };
      }
      return result;
    })),
    dispose() {},
  };
}
interface Rewritten { text: string | null; changes?: Change[] }

function rewriter(spec: RewriteJobSpec): (docs: PreparedDocument[]) => Rewritten[] {
  if (spec.kind === 'migrate') return (docs) => migratePrepared(docs, spec.options);
  if (spec.kind === 'transform') throw new Error('transform runs file by file (createTransformJob)');
  return (docs) => normalizePrepared(docs, spec.options).map((text) => ({ text }));
}

/**
 * Text per stylesheet call: a call has a fixed cost, so files go in batches, but SaxonJS holds
 * every tree of a call at once, so a batch stops at this size (a big file goes alone).
 */
const BATCH_TEXT = 256 * 1024;

function inBatches(docs: PreparedDocument[], rewrite: (docs: PreparedDocument[]) => Rewritten[]): Rewritten[] {
  const out: Rewritten[] = [];
  for (let start = 0; start < docs.length;) {
    let end = start;
    let size = 0;
    while (end < docs.length && (end === start || size + docs[end].text.length <= BATCH_TEXT)) size += docs[end++].text.length;
    out.push(...rewrite(docs.slice(start, end)));
    start = end;
  }
  return out;
}

export function createRewriteJob(spec: RewriteJobSpec) {
  const rewrite = rewriter(spec);
  const known = spec.useCache ? loadKnownNormal(spec.options) : new Set<string>();
  const finish = (p: Prepared, r: Rewritten): NormalizedFile => {
    // A migration with nothing to do leaves the file exactly as it is.
    const { text: normalized, changed } = rewriteResult(p.bytes, r.text);
    const result: NormalizedFile = { normalized, changed, ...p.facts };
    if (r.changes) result.changes = r.changes;
    if (spec.useCache && r.text !== null) result.producedHash = textHash(r.text);
    if (spec.withOriginal) result.original = sourceText(p.bytes, p.doc.text);
    return result;
  };
  return {
    run(entries: InventoryEntry[]): FileOutcome<NormalizedFile>[] {
      const alreadyNormal = new Map<number, FileOutcome<NormalizedFile>>();
      const prepared = entries.map((entry, i) => outcomeOf<Prepared | null>(entry, (warn) => {
        const { bytes, facts } = readForRewrite(entry, spec, warn);
        if (known.size && known.has(textHash(bytes))) {
          const text = bytes.toString('utf8');
          alreadyNormal.set(i, { path: entry.path, host: entry.host, result: { normalized: text, changed: false, original: spec.withOriginal ? text : undefined, ...facts } });
          return null;
        }
        return { bytes, doc: prepare(entry.path, bytes), facts };
      }));
      const good = prepared.filter((o) => o.result);
      let results: Rewritten[] | null = null;
      try {
        results = inBatches(good.map((o) => o.result!.doc), rewrite);
      } catch {
        // One document broke the batch: redo them one by one below.
      }
      let k = 0;
      return prepared.map((o, i) => {
        if (alreadyNormal.has(i)) return { ...alreadyNormal.get(i)!, ...(o.warnings ? { warnings: o.warnings } : {}) };
        if (!o.result) return o as FileOutcome<never>;
        const p = o.result;
        const r = results ? results[k++] : null;
        const outcome = outcomeOf(entries[i], () => finish(p, r ?? rewrite([p.doc])[0]));
        if (o.warnings) outcome.warnings = o.warnings;
        return outcome;
      });
    },
    dispose() {},
  };
}
