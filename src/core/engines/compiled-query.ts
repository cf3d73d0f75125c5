// A query compiled once and evaluated per document by the engine that suits it: libxml2's XPath 1.0
// when the expression means the same in 1.0 and 3.1, SaxonJS (XPath 3.1) otherwise.
import { XmlXPath, type XmlDocument, type XmlNode, XmlAttribute, XmlElement } from 'libxml2-wasm';
import {
  tokenize, isXPath1Compatible, rowShape, requiredContent, NO_REQUIREMENT, xpath1Text, tokensText, UnboundVariableError, type Token, type Requirement,
} from './xpath-analysis.js';
import { LIBVIRT_NAMESPACES } from './namespaces.js';
import { saxon, saxonDocument, textForSaxon } from './saxon.js';
import { QueryError } from '../errors.js';

export type Engine = 'libxml2' | 'saxon';
export type EngineChoice = Engine | 'auto';

export interface QuerySpec {
  expression: string;
  params?: Record<string, string>;
  namespaces?: Record<string, string>;
  engine?: EngineChoice;
  /** Also serialize node results as XML (for --format xml). */
  withXml?: boolean;
  /** Where relative URIs in the expression resolve (a saved query: its own file). */
  baseURI?: string;
}

/** One result item: a string, or a row of named columns when the query builds maps. */
export interface ResultItem {
  value: string | Record<string, string>;
  /** Source line, when the item is a node. */
  line?: number;
  xml?: string;
}

export { QueryError };

export interface CompiledQuery {
  engine: Engine;
  /** What a document's bytes must contain to produce any result (NO_REQUIREMENT: parse every document). */
  prefilter: Requirement;
  /** The result items for one parsed document, in document order. */
  evaluate(doc: XmlDocument): ResultItem[];
  dispose(): void;
}

export function compileQuery(spec: QuerySpec): CompiledQuery {
  const params = spec.params ?? {};
  let tokens: Token[];
  try {
    tokens = tokenize(spec.expression);
  } catch (e) {
    throw new QueryError(`invalid XPath: ${(e as Error).message}`);
  }
  const namespaces = usedNamespaces(tokens, { ...LIBVIRT_NAMESPACES, ...spec.namespaces });
  const choice = spec.engine ?? 'auto';
  const shape = rowShape(tokens);
  if (choice !== 'saxon') {
    let fast: CompiledQuery | null;
    try {
      // auto: only what means the same in 1.0 and 3.1; --engine libxml2: XPath 1.0 as asked.
      const exact = choice === 'auto';
      fast = shape
        ? compileRowsLibxml2(spec, shape, params, namespaces, exact)
        : compileWholeLibxml2(spec, tokens, params, namespaces, exact);
    } catch (e) {
      // A 1.0 expression cannot bind variables, so any $name in it must come from --param.
      if (e instanceof UnboundVariableError) throw new QueryError(e.message);
      throw e;
    }
    if (fast) return fast;
    if (choice === 'libxml2') throw new QueryError('this expression needs XPath 3.1; it cannot run on the libxml2 (XPath 1.0) engine');
  }
  return compileSaxon(spec, namespaces, params, mapKeyOrder(tokens));
}

/** Keys of map constructors in the order written: SaxonJS hands maps back unordered. */
function mapKeyOrder(tokens: Token[]): string[] {
  const keys: string[] = [];
  tokens.forEach((t, i) => {
    if (t.kind === 'string' && tokens[i + 1]?.kind === 'op' && tokens[i + 1].text === ':' && !keys.includes(t.value!)) keys.push(t.value!);
  });
  return keys;
}

/**
 * Only the prefixes the expression names: libxml2-wasm registers every namespace binding it is
 * given again on each evaluation, and the nine pre-bound ones cost more than the XPath itself.
 */
function usedNamespaces(tokens: Token[], all: Record<string, string>): Record<string, string> {
  const used: Record<string, string> = {};
  for (const t of tokens) {
    const name = t.kind === 'name' ? t.text : t.kind === 'variable' ? t.value! : '';
    const colon = name.indexOf(':');
    if (colon > 0) {
      const prefix = name.slice(0, colon);
      if (prefix in all) used[prefix] = all[prefix];
    }
  }
  return used;
}

/**
 * libxml2 prints compile errors straight to stderr through console.error; a failed compile here is
 * not the user's error (SaxonJS gets the expression next and reports properly), so mute it.
 */
function tryCompile(text: string, namespaces: Record<string, string>): XmlXPath | null {
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    const used = usedNamespaces(tokenize(text), namespaces);
    return XmlXPath.compile(text, Object.keys(used).length ? used : undefined);
  } catch {
    return null;
  } finally {
    process.stderr.write = write;
  }
}

/**
 * Run-time checks for arguments XPath 3.1 allows one item in (string(mac/@address)): each is
 * compiled as count(ARG) > 1, and a true one fails the evaluation as SaxonJS would. Null when
 * one does not compile (then the expression goes to SaxonJS).
 */
function compileGuards(spec: QuerySpec, args: Token[][], params: Record<string, string>, namespaces: Record<string, string>): { xps: XmlXPath[]; texts: string[] } | null {
  const texts = args.map((a) => tokensText(spec.expression, a));
  const xps: XmlXPath[] = [];
  for (const text of texts) {
    const guard = `count(${text}) > 1`;
    const xp = tryCompile(xpath1Text(guard, tokenize(guard), params), namespaces);
    if (!xp) {
      xps.forEach((x) => x.dispose());
      return null;
    }
    xps.push(xp);
  }
  return { xps, texts };
}

function checkGuards(guards: { xps: XmlXPath[]; texts: string[] }, context: { eval(xp: XmlXPath): unknown }): void {
  guards.xps.forEach((xp, i) => {
    if (context.eval(xp) === true) throw new QueryError(`XPTY0004: more than one item where one is allowed: ${guards.texts[i]}`);
  });
}

function compileWholeLibxml2(spec: QuerySpec, tokens: Token[], params: Record<string, string>, namespaces: Record<string, string>, exact: boolean): CompiledQuery | null {
  const args: Token[][] = [];
  if (exact && !isXPath1Compatible(tokens, args)) return null;
  const guards = compileGuards(spec, args, params, namespaces);
  if (!guards) return null;
  const xp = tryCompile(xpath1Text(spec.expression, tokens, params), namespaces);
  if (!xp) {
    guards.xps.forEach((g) => g.dispose());
    return null;
  }
  return {
    engine: 'libxml2',
    prefilter: requiredContent(tokens),
    evaluate: (doc) => {
      checkGuards(guards, doc);
      return libxml2Items(doc.eval(xp), spec.withXml);
    },
    dispose: () => { xp.dispose(); guards.xps.forEach((g) => g.dispose()); },
  };
}

function compileRowsLibxml2(spec: QuerySpec, shape: NonNullable<ReturnType<typeof rowShape>>, params: Record<string, string>, namespaces: Record<string, string>, exact: boolean): CompiledQuery | null {
  const parts = [shape.rows, ...shape.columns.map((c) => c.tokens)];
  const columnArgs: Token[][][] = shape.columns.map(() => []);
  if (exact && (!isXPath1Compatible(shape.rows) || !shape.columns.every((c, i) => isXPath1Compatible(c.tokens, columnArgs[i])))) return null;
  const columnGuards = columnArgs.map((args) => compileGuards(spec, args, params, namespaces));
  const disposeGuards = () => columnGuards.forEach((g) => g?.xps.forEach((x) => x.dispose()));
  if (columnGuards.some((g) => g === null)) {
    disposeGuards();
    return null;
  }
  const rowsPrefilter = requiredContent(shape.rows);
  // The rows must be a node-set for per-row evaluation; a path (which the prefilter recognises) is.
  const first = shape.rows[0];
  const isPath = first && ((first.kind === 'op' && ['/', '//'].includes(first.text)) || (first.kind === 'name' && shape.rows[1]?.text !== '('));
  if (!isPath) {
    disposeGuards();
    return null;
  }
  const compiled = parts.map((p) => tryCompile(xpath1Text(tokensText(spec.expression, p), tokenize(tokensText(spec.expression, p)), params), namespaces));
  if (compiled.some((c) => c === null)) {
    compiled.forEach((c) => c?.dispose());
    disposeGuards();
    return null;
  }
  const [rowsXp, ...columnXps] = compiled as XmlXPath[];
  const names = shape.columns.map((c) => c.name);
  return {
    engine: 'libxml2',
    prefilter: rowsPrefilter,
    evaluate(doc) {
      const rows = doc.eval(rowsXp);
      if (!Array.isArray(rows)) throw new QueryError('the expression before ! must select nodes');
      return rows.map((node) => {
        const value: Record<string, string> = {};
        columnXps.forEach((xp, i) => {
          checkGuards(columnGuards[i]!, node);
          value[names[i]] = stringOf(node.eval(xp));
        });
        return { value, line: lineOf(node) };
      });
    },
    dispose: () => { compiled.forEach((c) => c!.dispose()); disposeGuards(); },
  };
}

type Libxml2Value = XmlNode[] | string | number | boolean;

function lineOf(node: XmlNode): number | undefined {
  const line = node instanceof XmlAttribute ? node.parent?.line : node.line;
  return line && line > 0 ? line : undefined;
}

function libxml2Items(result: Libxml2Value, withXml?: boolean): ResultItem[] {
  if (!Array.isArray(result)) return [{ value: atomicString(result) }];
  return result.map((node) => {
    const item: ResultItem = { value: node.content, line: lineOf(node) };
    if (withXml) item.xml = nodeXml(node);
    return item;
  });
}

function nodeXml(node: XmlNode): string {
  if (node instanceof XmlElement) return node.toString();
  if (node instanceof XmlAttribute) return `${node.prefix ? node.prefix + ':' : ''}${node.name}="${escapeAttr(node.value)}"`;
  return escapeText(node.content);
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function stringOf(result: Libxml2Value): string {
  if (Array.isArray(result)) return result.map((n) => n.content).join(' ');
  return atomicString(result);
}

/** Formats a 1.0 result the way XPath 3.1's string() would print the same value. */
export function atomicString(v: string | number | boolean): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  return String(v);
}

function compileSaxon(spec: QuerySpec, namespaces: Record<string, string>, params: Record<string, string>, keyOrder: string[]): CompiledQuery {
  const SaxonJS = saxon();
  const options = { namespaceContext: namespaces, params, resultForm: 'array', staticBaseURI: spec.baseURI };
  // Compile once against an empty document so syntax errors surface before any file is read.
  try {
    SaxonJS.XPath.evaluate(spec.expression, domainElement(saxonDocument('<domain/>')), options);
  } catch (e) {
    const err = e as { message: string; code?: string };
    if (!/XPDY0002|FORG|FOAR|XPTY|FOCA|FORX/.test(err.code ?? '')) throw new QueryError(`invalid XPath: ${err.message}`);
  }
  return {
    engine: 'saxon',
    prefilter: NO_REQUIREMENT,
    evaluate(doc) {
      const sdoc = saxonDocument(textForSaxon(doc));
      let result: unknown[];
      try {
        result = SaxonJS.XPath.evaluate(spec.expression, domainElement(sdoc), options) as unknown[];
      } catch (e) {
        throw new QueryError((e as Error).message);
      }
      return result.map((item) => saxonItem(SaxonJS, item, doc, keyOrder, spec.withXml));
    },
    dispose() {},
  };
}

/**
 * The context item of a query, for both engines: the <domain> element, as libxml2-wasm evaluates
 * from the root element. `name` is then the domain's name and `@type` its type in either engine.
 */
function domainElement(sdoc: unknown): unknown {
  return (sdoc as { documentElement?: unknown }).documentElement ?? sdoc;
}

interface SaxonNode { nodeType: number; textContent?: string; value?: string }
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type SaxonApi = any;

function isSaxonNode(x: unknown): x is SaxonNode {
  return typeof x === 'object' && x !== null && typeof (x as SaxonNode).nodeType === 'number';
}

function saxonString(x: unknown): string {
  if (x === null || x === undefined) return '';
  if (Array.isArray(x)) return x.map(saxonString).join(' ');
  if (isSaxonNode(x)) return x.nodeType === 2 ? x.value ?? '' : x.textContent ?? '';
  if (typeof x === 'number' || typeof x === 'boolean') return atomicString(x);
  if (typeof x === 'object') return JSON.stringify(x);
  return String(x);
}

function saxonItem(SaxonJS: SaxonApi, item: unknown, doc: XmlDocument, keyOrder: string[], withXml?: boolean): ResultItem {
  if (isSaxonNode(item)) {
    const result: ResultItem = { value: saxonString(item), line: lineOfSaxonNode(SaxonJS, item, doc) };
    if (withXml) result.xml = SaxonJS.serialize(item, { method: 'xml', 'omit-xml-declaration': true });
    return result;
  }
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    const row: Record<string, string> = {};
    const rank = (k: string) => { const r = keyOrder.indexOf(k); return r < 0 ? keyOrder.length : r; };
    const keys = Object.keys(item).sort((a, b) => rank(a) - rank(b));
    for (const k of keys) row[k] = saxonString((item as Record<string, unknown>)[k]);
    return { value: row };
  }
  return { value: saxonString(item) };
}

/** Saxon's tree has no line numbers: find the same node in libxml2's tree through its path. */
function lineOfSaxonNode(SaxonJS: SaxonApi, node: SaxonNode, doc: XmlDocument): number | undefined {
  const path = SaxonJS.XPath.evaluate('path($n)', null, { params: { n: node } }) as string;
  // Steps split on '/' outside Q{…}: namespace URIs contain slashes.
  const steps = (path.match(/@?Q\{[^}]*\}[^/]*|[^/]+/g) ?? []).map((step) => {
    const m = /^(@?)(?:Q\{([^}]*)\})?([^[]+)(\[\d+\])?$/.exec(step);
    if (!m) return step;
    const [, at, uri = '', local, index = ''] = m;
    if (/\(\)$/.test(local)) return local + index;
    return `${at}*[local-name()='${local}' and namespace-uri()='${uri}']${index}`;
  });
  if (steps.length === 0) return undefined;
  const found = doc.get('/' + steps.join('/'));
  return found ? lineOf(found) : undefined;
}
