// Normalizing a chunk of files: each is read and vetted on its own (bad files become per-file
// errors), then the good ones go through the stylesheet in one call.
import { isUtf8 } from 'node:buffer';
import { outcomeOf, type FileOutcome } from './fleet.js';
import type { InventoryEntry } from './inventory.js';
import { normalizePrepared, prepare, type NormalizeOptions, type PreparedDocument } from './normalize.js';
import { readBytes } from './parse.js';
import { loadKnownNormal, textHash } from './normal-cache.js';

export interface NormalizeJobSpec {
  kind: 'normalize';
  options: NormalizeOptions;
  /** Also return each file's original text (for diffs). */
  withOriginal?: boolean;
  /** Skip files whose bytes are a text normalize produced before (see normal-cache.ts). */
  useCache?: boolean;
}

export interface NormalizedFile {
  normalized: string;
  /** False when the file's bytes are already exactly the normalized text. */
  changed: boolean;
  original?: string;
  /** Hash of a normal text this run produced, for the known-normal cache. */
  producedHash?: string;
}

interface Prepared { bytes: Buffer; doc: PreparedDocument }

export function createNormalizeJob(spec: NormalizeJobSpec) {
  const known = spec.useCache ? loadKnownNormal(spec.options) : new Set<string>();
  const finish = (p: Prepared, normalized: string): NormalizedFile => {
    const result: NormalizedFile = { normalized, changed: !p.bytes.equals(Buffer.from(normalized)) };
    if (spec.useCache) result.producedHash = textHash(normalized);
    if (spec.withOriginal) result.original = isUtf8(p.bytes) ? p.bytes.toString('utf8').replace(/^\uFEFF/, '') : p.doc.text;
    return result;
  };
  return {
    run(entries: InventoryEntry[]): FileOutcome<NormalizedFile>[] {
      const alreadyNormal = new Map<number, FileOutcome<NormalizedFile>>();
      const prepared = entries.map((entry, i) => outcomeOf<Prepared>(entry, () => {
        const bytes = readBytes(entry.path) as Buffer;
        if (known.size && known.has(textHash(bytes))) {
          const text = bytes.toString('utf8');
          alreadyNormal.set(i, { path: entry.path, host: entry.host, result: { normalized: text, changed: false, original: spec.withOriginal ? text : undefined } });
          return null as unknown as Prepared;
        }
        return { bytes, doc: prepare(entry.path, bytes) };
      }));
      const good = prepared.filter((o, i) => o.result && !alreadyNormal.has(i));
      let texts: string[] | null = null;
      try {
        texts = normalizePrepared(good.map((o) => o.result!.doc), spec.options);
      } catch {
        // One document broke the batch: redo them one by one so only that one fails.
      }
      let k = 0;
      return prepared.map((o, i) => {
        if (alreadyNormal.has(i)) return alreadyNormal.get(i)!;
        if (!o.result) return o as FileOutcome<never>;
        const p = o.result;
        const text = texts ? texts[k++] : null;
        return outcomeOf(entries[i], () => finish(p, text ?? normalizePrepared([p.doc], spec.options)[0]));
      });
    },
    dispose() {},
  };
}
