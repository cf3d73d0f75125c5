// Transforms: the built-in parameterized stylesheets in stylesheets/transforms/, and any user XSLT
// 1.0–3.0 stylesheet, compiled on first use to SEF and cached by content hash.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XmlComment, XmlDocument, XmlElement } from 'libxml2-wasm';
import { cacheDir, cacheNotice, cacheProblem } from '../fleet/cache.js';
import { PROJECT_ROOT, VERSION } from '../version.js';
import { compiledStylesheet, saxon, textForSaxon } from '../engines/saxon.js';
import { parseDomain } from '../read/parse.js';
import { normalizePrepared, prepare } from '../normalize/normalize.js';

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
  mkdirSync(folder, { recursive: true, mode: 0o700 });
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
    out[p.name] = value;
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
}

/** Runs the transform on one (already read) file. Stylesheet errors name stylesheet, line and file. */
export function transformFile(path: string, bytes: Uint8Array, run: TransformRun): TransformedDocument {
  const doc = parseDomain(path, bytes);
  let before: string;
  let input: string;
  try {
    before = doc.root.canonicalizeToString();
    input = textForSaxon(doc);
  } finally {
    doc.dispose();
  }
  let output: string;
  try {
    output = saxon().transform({
      // A user's stylesheet resolves relative URIs against its own file; built-ins against stylesheets/.
      ...compiledStylesheet(pathToFileURL(run.sefPath).href, resolve(run.stylesheet).startsWith(TRANSFORMS_DIR) ? undefined : pathToFileURL(resolve(run.stylesheet)).href),
      sourceText: input,
      stylesheetParams: run.params,
      destination: 'serialized',
    }, 'sync').principalResult as string;
  } catch (e) {
    const err = e as { message: string; code?: string; xsltLineNr?: number };
    const where = err.xsltLineNr ? `${run.stylesheet}:${err.xsltLineNr}` : run.stylesheet;
    throw new TransformError(`stylesheet ${where}: ${err.code ? `${err.code} ` : ''}${err.message.split('\n')[0]}`);
  }
  // Compared in canonical form (C14N), so a transform that changes nothing leaves the file alone
  // whatever the quoting and layout of its serialization.
  const result = XmlDocument.fromString(output);
  let after: string;
  try {
    if (result.root.name !== 'domain') throw new TransformError(`stylesheet ${run.stylesheet}: the result's root is <${result.root.name}>, not <domain>`);
    after = result.root.canonicalizeToString();
  } finally {
    result.dispose();
  }
  if (after === before) return { text: null };
  if (run.noNormalize) return { text: output.endsWith('\n') ? output : output + '\n' };
  return { text: normalizePrepared([prepare(path, Buffer.from(output))])[0] };
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
