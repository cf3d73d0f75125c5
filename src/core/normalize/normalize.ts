// Normalizing domain XML: libxml2 vets and decodes each file, the XSLT rules in
// stylesheets/normalize.xsl (run by SaxonJS) rewrite and write libvirt's exact bytes. Files go
// through the stylesheet in batches, since each transform call has a fixed cost of its own.
import { compiledStylesheet, saxon, textForSaxon } from '../engines/saxon.js';
import { parseDomain } from '../read/parse.js';
import { libvirtMetadata, spliceMetadata } from './metadata.js';
import { libvirtText } from '../write/libvirt-writer.js';
import { fromStylesheet } from '../errors.js';
import { asBytes, rewriteResult, type RewriteResult } from '../rewrite/rewrite-result.js';

export interface NormalizeOptions {
  /** Also strip runtime-only state, giving what `virsh dumpxml --inactive` gives. */
  inactive?: boolean;
}


/** A document ready for the stylesheet: decoded text without DTD, and libvirt's <metadata>. */
export interface PreparedDocument {
  text: string;
  metadata: string | null;
}

/** Vets and decodes a file with libxml2 (throws InputError / NotADomainError). */
export function prepare(path: string, bytes: Uint8Array): PreparedDocument {
  const doc = parseDomain(path, bytes);
  try {
    return { text: textForSaxon(doc), metadata: libvirtMetadata(doc) };
  } finally {
    doc.dispose();
  }
}

/**
 * Normalizes many prepared documents with one stylesheet call; one normalized text per input,
 * in order.
 */
export function normalizePrepared(docs: PreparedDocument[], options: NormalizeOptions = {}): string[] {
  if (docs.length === 0) return [];
  const SaxonJS = saxon();
  const batch = `<batch>${docs.map((d) => `<file>${d.text}</file>`).join('')}</batch>`;
  let result;
  try {
    result = SaxonJS.transform({
      ...compiledStylesheet('stylesheets/normalize.sef.json'),
      sourceText: batch,
      initialTemplate: 'Q{urn:domfleet:normalize}batch',
      stylesheetParams: { 'Q{urn:domfleet:normalize}inactive': Boolean(options.inactive) },
      destination: 'raw',
    }, 'sync');
  } catch (e) {
    throw fromStylesheet(e);
  }
  const raw = result.principalResult as string[] | string;
  const out = Array.isArray(raw) ? raw : [raw];
  return out.map((text, i) => spliceMetadata(libvirtText(text), docs[i].metadata));
}

/** Library entry point: one document's text (or bytes) in, libvirt's text for it out. */
export function normalize(xml: string | Uint8Array, options: NormalizeOptions & { path?: string } = {}): RewriteResult {
  const bytes = asBytes(xml);
  return rewriteResult(bytes, normalizePrepared([prepare(options.path ?? '<input>', bytes)], options)[0]);
}
