// Normalizing domain XML in one pipeline: libxml2 vets and decodes each file, SaxonJS runs the
// rules of stylesheets/normalize.xsl over it in one pass, and the writer walks SaxonJS's result
// tree and writes libvirt's exact bytes in libvirt's layout. Files go through the stylesheet in
// batches, since each transform call has a fixed cost of its own.
import { compiledStylesheet, saxon, saxonDocument, textForSaxon } from '../engines/saxon.js';
import { parseDomain } from '../read/parse.js';
import { libvirtMetadata } from './metadata.js';
import { writeLibvirt, type TreeNode } from '../write/libvirt-writer.js';
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
    return { text: textForSaxon(doc, path), metadata: libvirtMetadata(doc) };
  } finally {
    doc.dispose();
  }
}

/**
 * Normalizes many prepared documents with one stylesheet call; one normalized text per input,
 * in order.
 */
export function normalizePrepared(docs: PreparedDocument[], options: NormalizeOptions = {}): string[] {
  return normalizeTrees(docs.map((d) => saxonDocument(d.text) as TreeNode), options)
    .map((tree, i) => writeLibvirt(tree, { metadata: docs[i].metadata }));
}

/**
 * The rules over documents SaxonJS already holds (parsed, or another stylesheet's result), in
 * one call: the normalized result trees, for the writer.
 */
export function normalizeTrees(trees: TreeNode[], options: NormalizeOptions = {}): TreeNode[] {
  if (trees.length === 0) return [];
  let result;
  try {
    result = saxon().transform({
      ...compiledStylesheet(options.inactive ? 'stylesheets/normalize-inactive.sef.json' : 'stylesheets/normalize.sef.json'),
      initialTemplate: 'Q{urn:domfleet:normalize}batch',
      stylesheetParams: { 'Q{urn:domfleet:normalize}documents': trees },
      destination: 'raw',
    }, 'sync');
  } catch (e) {
    throw fromStylesheet(e);
  }
  return ([] as TreeNode[]).concat(result.principalResult as TreeNode | TreeNode[]);
}

/** Library entry point: one document's text (or bytes) in, libvirt's text for it out. */
export function normalize(xml: string | Uint8Array, options: NormalizeOptions & { path?: string } = {}): RewriteResult {
  const bytes = asBytes(xml);
  return rewriteResult(bytes, normalizePrepared([prepare(options.path ?? '<input>', bytes)], options)[0]);
}
