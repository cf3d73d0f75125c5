// Transforms: the built-in parameterized stylesheets in stylesheets/transforms/, and any user XSLT
// 1.0–3.0 stylesheet, compiled on first use to SEF and cached by content hash.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { makeFolders } from '../write/write.js';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XmlComment, XmlDocument, XmlElement } from 'libxml2-wasm';
import { cacheDir, cacheNotice, cacheProblem } from '../fleet/cache.js';
import { PROJECT_ROOT, VERSION } from '../version.js';
import { compiledStylesheet, saxon, saxonDocument, textForSaxon } from '../engines/saxon.js';
import { parseDomain } from '../read/parse.js';
import { normalizeTrees } from '../normalize/normalize.js';
import { libvirtMetadata } from '../normalize/metadata.js';
import { writeLibvirt, type TreeNode } from '../write/libvirt-writer.js';

const XSL = 'http://www.w3.org/1999/XSL/Transform';
const T = 'urn:domfleet:transform';
export const TRANSFORMS_DIR = join(fileURLToPath(PROJECT_ROOT), 'stylesheets', 'transforms');

export interface TransformParam {
  name: string;
  /** Declared type (as=), e.g. xs:string, xs:integer; '' when undeclared. */
  type: string;
  required: boolean;
  values?: string[];
  pattern?: string;
  doc?: string;
  /** t:kind="size": a memory size that must carry a unit (4GiB, 512MiB, 4096KiB). */
  kind?: 'size';
  /** Smallest value accepted: a number, or a size for kind="size" (t:min). */
  min?: string;
  /** Largest value accepted, a number (t:max). */
  max?: string;
}

/** A built-in transform as a user sees it: what it does and the parameters it takes. */
export interface TransformDescription {
  name: string;
  summary: string;
  example: string;
  params: TransformParam[];
}

export interface TransformInfo extends TransformDescription {
  xslPath: string;
  sefPath: string;
  builtin: boolean;
}

/** A stylesheet that does not compile, or a parameter the stylesheet does not accept. */
export { TransformError } from '../errors.js';
import { TransformError, UsageError } from '../errors.js';
import { toKib } from '../units.js';
import { DEFAULT_SCHEMA_DIR, schemaProblems } from '../validate/schema.js';
import { asBytes, rewriteResult, type RewriteResult } from '../rewrite/rewrite-result.js';

/** The stylesheet's own description: header comment and top-level xsl:param declarations. */
function describe(xslPath: string): Omit<TransformInfo, 'sefPath' | 'builtin' | 'name'> {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(readFileSync(xslPath));
  } catch (e) {
    throw new TransformError(`${xslPath}: cannot read stylesheet: ${(e as Error).message.trim()}`);
  }
  try {
    let comment = '';
    for (let n = doc.root.prev; n; n = n.prev) if (n instanceof XmlComment) comment = n.content;
    const lines = comment.split('\n').map((l) => l.trim()).filter(Boolean);
    const params = doc.find('/xsl:stylesheet/xsl:param | /xsl:transform/xsl:param', { xsl: XSL })
      .filter((n): n is XmlElement => n instanceof XmlElement)
      .map((p) => {
        const attr = (name: string, ns?: string) => p.attrs.find((a) => a.name === name && (ns ? a.namespaceUri === ns : !a.namespaceUri))?.value;
        const values = attr('values', T);
        return {
          name: attr('name') ?? '',
          type: attr('as') ?? '',
          required: attr('required') === 'yes',
          values: values === undefined ? undefined : values.split(' ').map((v) => v),
          pattern: attr('pattern', T),
          doc: attr('doc', T),
          kind: attr('kind', T) === 'size' ? 'size' as const : undefined,
          min: attr('min', T),
          max: attr('max', T),
        };
      });
    return {
      summary: (lines[0] ?? '').replace(/^[\w-]+ — /, ''),
      example: lines.find((l) => l.startsWith('Example:'))?.slice(8).trim() ?? '',
      params,
      xslPath,
    };
  } finally {
    doc.dispose();
  }
}

export function builtinTransforms(): TransformInfo[] {
  return readdirSync(TRANSFORMS_DIR).filter((f) => f.endsWith('.xsl')).sort().map((f) => {
    const xslPath = join(TRANSFORMS_DIR, f);
    return { name: f.slice(0, -4), ...describe(xslPath), sefPath: xslPath.replace(/\.xsl$/, '.sef.json'), builtin: true };
  });
}

/** The built-in transforms (what `domfleet transforms` lists). */
export function listTransforms(): TransformDescription[] {
  return builtinTransforms().map(({ name, summary, example, params }) => ({ name, summary, example, params }));
}

export interface CompileReport {
  /** True when this call compiled the stylesheet; false when a cached SEF was reused. */
  compiled: boolean;
  sefPath: string;
  /** Set when the cache could not be used (the SEF then lives in a private temporary folder). */
  notice?: string;
}

/** A compiled stylesheet read back is used only when it is whole: a damaged one is compiled again. */
function isWholeSef(path: string): boolean {
  try {
    const sef = JSON.parse(readFileSync(path, 'utf8')) as { N?: unknown };
    return sef.N === 'package';
  } catch {
    return false;
  }
}

let privateFolder: string | null = null;
/** Where SEFs go when the cache cannot be used: a 0700 folder removed when the process exits. */
function temporaryXsltFolder(): string {
  if (!privateFolder) {
    const folder = mkdtempSync(join(tmpdir(), 'domfleet-xslt-'));
    privateFolder = folder;
    process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  }
  return privateFolder;
}

/**
 * A user stylesheet's SEF, compiled with xslt3 on first use and kept under the cache folder by
 * content hash (of the stylesheet and of the domfleet version that compiled it).
 */
export function compileUserStylesheet(xslPath: string): CompileReport {
  const source = readFileSync(xslPath);
  const hash = createHash('sha256').update(source).update(resolve(xslPath)).update(VERSION).digest('hex').slice(0, 32);
  const problem = cacheProblem();
  const folder = problem ? temporaryXsltFolder() : join(cacheDir(), 'xslt');
  const notice = problem ? cacheNotice(problem) : undefined;
  const sefPath = join(folder, `${hash}.sef.json`);
  if (existsSync(sefPath) && isWholeSef(sefPath)) return { compiled: false, sefPath };
  makeFolders(folder, 0o700);
  const tmp = `${sefPath}.${process.pid}.tmp`;
  const xslt3 = createRequire(import.meta.url).resolve('xslt3/xslt3.js');
  const r = spawnSync(process.execPath, [xslt3, `-xsl:${resolve(xslPath)}`, `-export:${tmp}`, '-nogo', '-relocate:on'], { encoding: 'utf8' });
  if (r.status !== 0) {
    try { unlinkSync(tmp); } catch { /* never written */ }
    const message = (r.stderr || r.stdout).split('\n').filter((l) => l.trim() && !/^Failed to compile/.test(l)).slice(0, 3).join(' ').replace(/\s+/g, ' ').trim();
    throw new TransformError(`${xslPath}: stylesheet does not compile: ${message}`);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, sefPath);
  return { compiled: true, sefPath, notice };
}

/** A built-in by name, or a stylesheet file (compiled if needed). */
export function resolveTransform(nameOrFile: string): TransformInfo & { compiled?: boolean; notice?: string } {
  const builtin = builtinTransforms().find((t) => t.name === nameOrFile);
  if (builtin) return builtin;
  if (!existsSync(nameOrFile)) {
    throw new UsageError(`'${nameOrFile}' is neither a built-in transform (see domfleet transforms) nor a stylesheet file`);
  }
  const info = describe(nameOrFile);
  const { compiled, sefPath, notice } = compileUserStylesheet(nameOrFile);
  return { name: basename(nameOrFile), ...info, sefPath, builtin: false, compiled, notice };
}

/**
 * A size given to a built-in needs its unit: `size=4` would be read as 4 KiB, which nobody means.
 * Units as libvirt reads them (lib/units.json); zero, negative and below-minimum sizes refused.
 */
function checkSize(value: string, min: string | undefined, bad: (why: string) => Error): void {
  const m = /^\s*(-?\d+)\s*([A-Za-z]+)\s*$/.exec(value);
  if (!m) throw bad(/^\s*-?\d+\s*$/.test(value) ? 'has no unit: write it with one, e.g. 4GiB, 512MiB or 4096KiB' : 'is not a size such as 4GiB, 512MiB or 4096KiB');
  const kib = toKib(m[1].replace(/^-/, ''), m[2]);
  if (kib === null) throw bad(`has an unknown unit '${m[2]}' (KiB, MiB, GiB, TiB, KB, MB, GB …)`);
  if (m[1].startsWith('-') || kib === 0) throw bad('is not a positive size');
  const least = min === undefined ? null : /^(\d+)\s*([A-Za-z]+)$/.exec(min);
  if (least && kib < (toKib(least[1], least[2]) ?? 0)) throw bad(`is below the least size the transform accepts, ${min}`);
}

/** Checks --param values against the declarations; returns them as SaxonJS parameters. */
export function checkParams(info: TransformInfo, given: Record<string, string>): Record<string, string> {
  const declared = new Map(info.params.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      const known = info.params.map((p) => p.name).join(', ') || 'none';
      throw new UsageError(`${info.name} has no parameter '${name}' (parameters: ${known})`);
    }
  }
  const out: Record<string, string> = {};
  for (const p of info.params) {
    const value = given[p.name];
    if (value === undefined) {
      if (p.required) throw new UsageError(`${info.name} needs --param ${p.name}=…${p.values ? ` (one of: ${p.values.filter(Boolean).join(', ')})` : ''}${p.doc ? ` — ${p.doc}` : ''}`);
      continue;
    }
    const bad = (why: string) => new UsageError(`${info.name}: --param ${p.name}=${value} ${why}`);
    if (p.values && !p.values.includes(value)) throw bad(`is not one of: ${p.values.filter(Boolean).join(', ')}`);
    if (p.pattern && !new RegExp(p.pattern).test(value)) throw bad(`is not ${p.doc ?? `of the form ${p.pattern}`}`);
    if (/^xs:(integer|int|long|short|positiveInteger|nonNegativeInteger)$/.test(p.type) && !/^-?\d+$/.test(value)) throw bad('is not a whole number');
    if (p.type === 'xs:positiveInteger' && Number(value) < 1) throw bad('is not positive');
    if (/^xs:(decimal|double|float)$/.test(p.type) && Number.isNaN(Number(value))) throw bad('is not a number');
    if (p.type === 'xs:boolean' && !/^(true|false|1|0)$/.test(value)) throw bad('is not true or false');
    if (p.kind === 'size') checkSize(value, p.min, bad);
    else {
      if (p.min !== undefined && Number(value) < Number(p.min)) throw bad(`is below ${p.min}`);
      if (p.max !== undefined && Number(value) > Number(p.max)) throw bad(`is above ${p.max}`);
    }
    // A size is passed on as checked: '4GiB ' would leave the stylesheet a unit of 'GiB '.
    out[p.name] = p.kind === 'size' ? value.trim() : value;
  }
  return out;
}

export interface TransformRun {
  sefPath: string;
  /** The stylesheet file (a user's: its relative URIs resolve against it). */
  stylesheet: string;
  params: Record<string, string>;
  /** Write Saxon's serialization as it is, instead of libvirt's normal form. */
  noNormalize?: boolean;
}

export interface TransformedDocument {
  /** The new text, or null when the transform changed nothing (the file stays untouched). */
  text: string | null;
  /** The input's normal form: what the transform's own change is measured against. */
  before: string;
}

/**
 * Runs the transform on one (already read) file, in one pipeline: libxml2 vets and decodes, SaxonJS
 * runs the stylesheet, then the normalize rules over its result tree and over the input's, and the
 * writer writes both. The file changes only when the two differ in meaning (their normal forms),
 * so a stylesheet that indents or requotes changes nothing. Stylesheet errors name stylesheet,
 * line and file.
 */
export function transformFile(path: string, bytes: Uint8Array, run: TransformRun): TransformedDocument {
  const doc = parseDomain(path, bytes);
  let input: string;
  let metadata: string | null;
  try {
    input = textForSaxon(doc, path);
    metadata = libvirtMetadata(doc);
  } finally {
    doc.dispose();
  }
  const source = saxonDocument(input) as TreeNode;
  let result: { principalResult: unknown; resultDocuments?: Record<string, unknown> };
  try {
    result = saxon().transform({
      // A user's stylesheet resolves relative URIs against its own file; built-ins against stylesheets/.
      ...compiledStylesheet(pathToFileURL(run.sefPath).href, resolve(run.stylesheet).startsWith(TRANSFORMS_DIR) ? undefined : pathToFileURL(resolve(run.stylesheet)).href),
      sourceNode: source,
      stylesheetParams: run.params,
      // Secondary results (xsl:result-document) are kept in memory, never written to disk: the
      // run fails on them below.
      baseOutputURI: 'file:///nonexistent-domfleet-results/',
      deliverResultDocument: () => ({ destination: 'raw' }),
      // A document node whatever the stylesheet returns (an XSLT 1.0 one: a comment and an element);
      // --no-normalize writes the stylesheet's own serialization (its xsl:output).
      destination: run.noNormalize ? 'serialized' : 'document',
    }, 'sync');
  } catch (e) {
    const err = e as { message: string; code?: string; xsltLineNr?: number };
    const where = err.xsltLineNr ? `${run.stylesheet}:${err.xsltLineNr}` : run.stylesheet;
    throw new TransformError(`stylesheet ${where}: ${err.code ? `${err.code} ` : ''}${err.message.split('\n')[0]}`);
  }
  const serialized = run.noNormalize ? String(result.principalResult) : null;
  const tree = oneDomain(serialized === null ? result.principalResult : safeSaxonDocument(serialized, run.stylesheet), result.resultDocuments, run.stylesheet);
  const [before, after] = normalizeTrees([source, tree]);
  const beforeText = writeLibvirt(before, { metadata });
  // <metadata> is written from libxml2's tree, as libvirt writes it: the input's, unless the
  // stylesheet changed it.
  const afterMetadata = sameMetadata(source, tree) ? metadata : metadataOf(tree, run.stylesheet);
  const afterText = writeLibvirt(after, { metadata: afterMetadata });
  if (afterText === beforeText) return { text: null, before: beforeText };
  // Judged only for files the transform changes: most files of a fleet are not, and need no schema.
  if (SCHEMAS !== null && isValid(path, bytes)) refuseInvalid(afterText, path, run.stylesheet);
  if (serialized !== null) return { text: serialized.endsWith('\n') ? serialized : serialized + '\n', before: beforeText };
  return { text: afterText, before: beforeText };
}

/**
 * libvirt's installed schemas, when there are: a transform that turns a valid definition into
 * one the schema rejects (libvirt would refuse or misread it) fails for that file.
 */
const SCHEMAS = existsSync(join(DEFAULT_SCHEMA_DIR, 'domain.rng')) ? DEFAULT_SCHEMA_DIR : null;

function isValid(path: string, bytes: Uint8Array): boolean {
  const doc = parseDomain(path, bytes);
  try {
    return schemaProblems(doc, SCHEMAS!).length === 0;
  } finally {
    doc.dispose();
  }
}

function refuseInvalid(text: string, path: string, stylesheet: string): void {
  const doc = parseDomain(path, Buffer.from(text));
  try {
    const [first] = schemaProblems(doc, SCHEMAS!);
    if (first) {
      throw new TransformError(`stylesheet ${stylesheet}: the result is not valid against libvirt's schema (${first.path ?? '/domain'}: ${first.message}: ${first.detail}); nothing written`);
    }
  } finally {
    doc.dispose();
  }
}

function safeSaxonDocument(text: string, stylesheet: string): TreeNode {
  try {
    return saxonDocument(text) as TreeNode;
  } catch {
    throw new TransformError(`stylesheet ${stylesheet}: the result is not an XML document`);
  }
}

/** The stylesheet's result when it is one document with a <domain> root; TransformError otherwise. */
function oneDomain(principal: unknown, others: Record<string, unknown> | undefined, stylesheet: string): TreeNode {
  const fail = (why: string) => new TransformError(`stylesheet ${stylesheet}: ${why}; nothing written`);
  if (others && Object.keys(others).length > 0) throw fail('the result is several documents (xsl:result-document), not one domain');
  const items = ([] as unknown[]).concat(principal ?? []);
  if (items.length === 0) throw fail('the result is empty');
  if (items.length !== 1 || typeof items[0] !== 'object' || items[0] === null) throw fail('the result is not one document');
  const node = items[0] as TreeNode;
  const elements: TreeNode[] = [];
  const isDocument = isDocumentNode(node);
  for (let c = isDocument ? node.firstChild : node; c; c = isDocument ? c.nextSibling : null) {
    if (c.nodeType === 1) elements.push(c);
    else if (c.nodeType === 3 && (c.nodeValue ?? '').trim() !== '') throw fail('the result has text outside its root element');
  }
  if (elements.length === 0) throw fail('the result is empty');
  if (elements.length > 1) throw fail(`the result has ${elements.length} root elements, not one <domain>`);
  const root = elements[0];
  if ((root.localName ?? root.nodeName) !== 'domain' || root.namespaceURI) throw fail(`the result's root is <${root.nodeName}>, not <domain>`);
  return node;
}

// SaxonJS gives a result tree as a document fragment (11), a parsed one as a document (9).
const isDocumentNode = (n: TreeNode) => n.nodeType === 9 || n.nodeType === 11;

function metadataElement(tree: TreeNode): TreeNode | null {
  const root = isDocumentNode(tree) ? firstElement(tree) : tree;
  for (let c = root?.firstChild ?? null; c; c = c.nextSibling) if (c.nodeType === 1 && c.localName === 'metadata' && !c.namespaceURI) return c;
  return null;
}

function firstElement(n: TreeNode): TreeNode | null {
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) return c;
  return null;
}

/** Whether both documents have the same <metadata> (the same nodes, names and values). */
function sameMetadata(a: TreeNode, b: TreeNode): boolean {
  const [x, y] = [metadataElement(a), metadataElement(b)];
  if (!x || !y) return x === y;
  return writeLibvirt(x) === writeLibvirt(y);
}

/** libvirt's text of a result's <metadata>, from libxml2's parse of it (only when a stylesheet changed it). */
function metadataOf(tree: TreeNode, stylesheet: string): string | null {
  const element = metadataElement(tree);
  if (!element) return null;
  const text = saxon().serialize(tree, { method: 'xml' }) as string;
  const doc = parseDomain(stylesheet, Buffer.from(text));
  try {
    return libvirtMetadata(doc);
  } finally {
    doc.dispose();
  }
}

/** Resolves a transform and checks its parameters: what a run over many files needs. */
export function transformRun(nameOrFile: string, params: Record<string, string>, noNormalize?: boolean): TransformRun & { info: ReturnType<typeof resolveTransform> } {
  const info = resolveTransform(nameOrFile);
  return { sefPath: info.sefPath, stylesheet: info.builtin ? info.xslPath : nameOrFile, params: checkParams(info, params), noNormalize, info };
}

/**
 * Library entry point: applies a built-in (by name) or a stylesheet file to one document. When
 * the transform changes nothing (compared in canonical form), text is the input as it was.
 */
export function transform(nameOrFile: string, xml: string | Uint8Array, params: Record<string, string> = {}, options: { path?: string; noNormalize?: boolean } = {}): RewriteResult {
  const bytes = asBytes(xml);
  const { info: _info, ...run } = transformRun(nameOrFile, params, options.noNormalize);
  return rewriteResult(bytes, transformFile(options.path ?? '<input>', bytes, run).text);
}
