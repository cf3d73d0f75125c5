// A query compiled once and evaluated per document by the engine that suits it: libxml2's XPath 1.0
// when the expression means the same in 1.0 and 3.1, SaxonJS (XPath 3.1) otherwise.
import { XmlXPath, type XmlDocument, type XmlNode, XmlAttribute, XmlElement } from 'libxml2-wasm';
import { bindText, displayText, NO_REQUIREMENT, UnboundVariableError, type QueryPlan, type Requirement, type XPath1Part, type XPath1Text } from './query-plan.js';
import { planFor } from './plans.js';
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
  /** The expression's plan, when the caller has it (workers get it from the main thread). */
  plan?: QueryPlan;
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
  const plan = spec.plan ?? planFor(spec.expression);
  const namespaces = usedNamespaces(plan.prefixes, { ...LIBVIRT_NAMESPACES, ...spec.namespaces });
  const choice = spec.engine ?? 'auto';
  if (choice !== 'saxon') {
    let fast: CompiledQuery | null = null;
    try {
      // auto: only what means the same in 1.0 and 3.1; --engine libxml2: XPath 1.0 as asked.
      const exact = choice === 'auto';
      if (plan.rows && (plan.rows.exact || !exact)) fast = compileRowsLibxml2(spec, plan.rows, params, namespaces);
      if (!fast && plan.whole && (plan.whole.exact || !exact)) fast = compileWholeLibxml2(spec, plan.whole, plan.prefilter, params, namespaces);
    } catch (e) {
      // A 1.0 expression cannot bind variables, so any $name in it must come from --param.
      if (e instanceof UnboundVariableError) throw new QueryError(e.message);
      throw e;
    }
    if (fast) return fast;
    if (choice === 'libxml2') {
      compileSaxon(spec, namespaces, params, plan.mapKeys).dispose();
      throw new QueryError('this expression needs XPath 3.1; it cannot run on the libxml2 (XPath 1.0) engine');
    }
  }
  return compileSaxon(spec, namespaces, params, plan.mapKeys);
}

/**
 * Only the prefixes the expression names: libxml2-wasm registers every namespace binding it is
 * given again on each evaluation, and the nine pre-bound ones cost more than the XPath itself.
 */
function usedNamespaces(prefixes: string[], all: Record<string, string>): Record<string, string> {
  const used: Record<string, string> = {};
  for (const prefix of prefixes) if (Object.hasOwn(all, prefix)) used[prefix] = all[prefix];
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
    return XmlXPath.compile(text, Object.keys(namespaces).length ? namespaces : undefined);
  } catch {
    return null;
  } finally {
    process.stderr.write = write;
  }
}

interface Guards { xps: XmlXPath[]; texts: string[] }

/**
 * Run-time checks for arguments XPath 3.1 allows one item in (string(mac/@address)): each is
 * compiled as count(ARG) > 1, and a true one fails the evaluation as SaxonJS would. Null when
 * one does not compile (then the expression goes to SaxonJS).
 */
function compileGuards(args: XPath1Text[], params: Record<string, string>, namespaces: Record<string, string>): Guards | null {
  const xps: XmlXPath[] = [];
  for (const arg of args) {
    const xp = tryCompile(`count(${bindText(arg, params)}) > 1`, namespaces);
    if (!xp) {
      xps.forEach((x) => x.dispose());
      return null;
    }
    xps.push(xp);
  }
  return { xps, texts: args.map(displayText) };
}

function checkGuards(guards: Guards, context: { eval(xp: XmlXPath): unknown }): void {
  guards.xps.forEach((xp, i) => {
    if (context.eval(xp) === true) throw new QueryError(`XPTY0004: more than one item where one is allowed: ${guards.texts[i]}`);
  });
}

/** One 1.0 evaluation with its guards, or null when libxml2 does not compile it. */
function compilePart(part: XPath1Part, params: Record<string, string>, namespaces: Record<string, string>): { xp: XmlXPath; guards: Guards; dispose(): void } | null {
  const guards = compileGuards(part.guards, params, namespaces);
  if (!guards) return null;
  const xp = tryCompile(bindText(part.text, params), namespaces);
  const dispose = () => { xp?.dispose(); guards.xps.forEach((g) => g.dispose()); };
  if (!xp) {
    dispose();
    return null;
  }
  return { xp, guards, dispose };
}

function compileWholeLibxml2(spec: QuerySpec, whole: XPath1Part, prefilter: Requirement, params: Record<string, string>, namespaces: Record<string, string>): CompiledQuery | null {
  const part = compilePart(whole, params, namespaces);
  if (!part) return null;
  return {
    engine: 'libxml2',
    prefilter,
    evaluate: (doc) => {
      checkGuards(part.guards, doc);
      return libxml2Items(doc.eval(part.xp), spec.withXml);
    },
    dispose: part.dispose,
  };
}

function compileRowsLibxml2(spec: QuerySpec, shape: NonNullable<QueryPlan['rows']>, params: Record<string, string>, namespaces: Record<string, string>): CompiledQuery | null {
  const rows = compilePart({ text: shape.rows, guards: [] }, params, namespaces);
  const columns = shape.columns.map((c) => compilePart(c, params, namespaces));
  const dispose = () => { rows?.dispose(); columns.forEach((c) => c?.dispose()); };
  if (!rows || columns.some((c) => c === null)) {
    dispose();
    return null;
  }
  const names = shape.columns.map((c) => c.name);
  return {
    engine: 'libxml2',
    prefilter: shape.prefilter,
    evaluate(doc) {
      const selected = doc.eval(rows.xp);
      if (!Array.isArray(selected)) throw new QueryError('the expression before ! must select nodes');
      return selected.map((node) => {
        const value: Record<string, string> = {};
        columns.forEach((column, i) => {
          checkGuards(column!.guards, node);
          value[names[i]] = stringOf(node.eval(column!.xp));
        });
        return { value, line: lineOf(node) };
      });
    },
    dispose,
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
