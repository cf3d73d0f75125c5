// How a query runs, decided once from its syntax tree: which parts libxml2's XPath 1.0 may
// evaluate with exactly the answer XPath 3.1 gives (and under which run-time guards), the XPath 1.0
// text it evaluates, and what a document's bytes must contain for the query to select anything.
// The tree comes from fontoxpath's XPath 3.1 parser (XQueryX); parsing is the slow part, so plans
// are plain data, computed at build time for saved queries and cached for the rest.
import type { XmlTree } from './xqueryx.js';

/** Bump when the analysis changes: cached plans (and cached results built on them) are then misses. */
export const PLAN_VERSION = 2;

/** XPath 1.0 text with the places where a $variable's value goes (bound at compile time). */
export type XPath1Text = (string | { variable: string })[];

/**
 * What a document's bytes must contain for an expression to select anything, checked before
 * parsing: a text (an element or attribute name), a literal some text or attribute value
 * contains (content), an attribute of a given local name written with exactly a given value, or
 * all / any of several requirements.
 */
export type Requirement =
  | { text: string }
  | { content: string }
  | { attribute: string; value: string }
  | { all: Requirement[] }
  | { any: Requirement[] };

/** The requirement every document meets. */
export const NO_REQUIREMENT: Requirement = { all: [] };

/** One XPath 1.0 evaluation: its text and, when exact, the arguments counted before it runs. */
export interface XPath1Part {
  text: XPath1Text;
  /** Arguments XPath 3.1 allows one item in: more than one fails the evaluation, as in 3.1. */
  guards: XPath1Text[];
}

export interface QueryPlan {
  version: number;
  /** The whole expression in XPath 1.0's grammar (its 1.0 meaning), or absent. */
  whole?: XPath1Part & { exact: boolean };
  /** `ROWS ! map { 'name': EXPR, … }`: rows selected once, each column evaluated per row. */
  rows?: { rows: XPath1Text; columns: ({ name: string } & XPath1Part)[]; exact: boolean; prefilter: Requirement };
  /** Requirement of the whole expression. */
  prefilter: Requirement;
  /** Keys of map constructors in the order written: SaxonJS hands maps back unordered. */
  mapKeys: string[];
  /** Namespace prefixes the expression names. */
  prefixes: string[];
}

/** The plan of an expression fontoxpath cannot parse: SaxonJS alone decides what it means. */
export function saxonOnlyPlan(): QueryPlan {
  return { version: PLAN_VERSION, prefilter: NO_REQUIREMENT, mapKeys: [], prefixes: [] };
}

/** A construct outside XPath 1.0's grammar. */
class NotXPath1 extends Error {}
/** A construct in 1.0's grammar whose 1.0 meaning can differ from its 3.1 meaning. */
class Inexact extends Error {}

/** The plan for one parsed expression (the XQueryX `module`). */
export function planFromTree(module: XmlTree): QueryPlan {
  const body = find(module, 'mainModule', 'queryBody');
  const expr = body?.kids.length === 1 ? body.kids[0] : null;
  const plan: QueryPlan = { ...saxonOnlyPlan(), mapKeys: mapKeys(module), prefixes: prefixes(module) };
  if (!expr) return plan;
  plan.prefilter = requirement(expr);
  const whole = part(expr);
  if (whole) plan.whole = whole;
  const shape = rowShape(expr);
  if (shape) {
    const rows = attempt(() => unparse(shape.rows));
    const columns = shape.columns.map((c) => part(c.value));
    if (rows && columns.every((c) => c !== null)) {
      const exact = attempt(() => kindOf(shape.rows, { guards: null }) === 'nodes') === true && columns.every((c) => c!.exact);
      plan.rows = {
        rows,
        columns: columns.map((c, i) => ({ name: shape.columns[i].name, text: c!.text, guards: c!.guards })),
        exact,
        prefilter: requirement(shape.rows),
      };
    }
  }
  return plan;
}

function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch (e) {
    if (e instanceof NotXPath1 || e instanceof Inexact) return null;
    throw e;
  }
}

/**
 * The 1.0 text of an expression evaluated from one context node (the domain, or a row) and,
 * when its meaning is the same in 1.0, its guards.
 */
function part(expr: XmlTree): (XPath1Part & { exact: boolean }) | null {
  const text = attempt(() => unparse(expr));
  if (!text) return null;
  const guards: XmlTree[] = [];
  const exact = attempt(() => { kindOf(expr, { guards }); return true; }) === true;
  return { text, guards: exact ? guards.map(unparse) : [], exact };
}

// ---------------------------------------------------------------------------------------------
// The tree

function child(node: XmlTree, name: string): XmlTree | undefined {
  return node.kids.find((k) => k.name === name);
}

function find(node: XmlTree, ...names: string[]): XmlTree | undefined {
  let at: XmlTree | undefined = node;
  for (const name of names) at = at && child(at, name);
  return at;
}

function* descendants(node: XmlTree): Generator<XmlTree> {
  for (const k of node.kids) {
    yield k;
    yield* descendants(k);
  }
}

function operands(node: XmlTree): [XmlTree, XmlTree] {
  const first = child(node, 'firstOperand')?.kids[0];
  const second = child(node, 'secondOperand')?.kids[0];
  if (!first || !second) throw new NotXPath1(`${node.name} without two operands`);
  return [first, second];
}

function mapKeys(module: XmlTree): string[] {
  const keys: string[] = [];
  for (const n of descendants(module)) {
    if (n.name !== 'mapKeyExpr') continue;
    const key = n.kids[0];
    if (key?.name === 'stringConstantExpr') {
      const value = child(key, 'value')?.text ?? '';
      if (!keys.includes(value)) keys.push(value);
    }
  }
  return keys;
}

function prefixes(module: XmlTree): string[] {
  const found = new Set<string>();
  for (const n of descendants(module)) {
    const prefix = n.name === 'Wildcard' ? child(n, 'NCName')?.text : n.attrs.prefix;
    if (prefix && !(n.name === 'functionName' && prefix === 'fn')) found.add(prefix);
  }
  return [...found];
}

// ---------------------------------------------------------------------------------------------
// XPath 1.0 text

const FN = 'http://www.w3.org/2005/xpath-functions';

const AXES_V1 = new Set([
  'child', 'descendant', 'attribute', 'self', 'descendant-or-self', 'following-sibling', 'following',
  'parent', 'ancestor', 'preceding-sibling', 'preceding', 'ancestor-or-self',
]);

const BINARY_V1: Record<string, string> = {
  orOp: 'or', andOp: 'and', equalOp: '=', notEqualOp: '!=', lessThanOp: '<', lessThanOrEqualOp: '<=',
  greaterThanOp: '>', greaterThanOrEqualOp: '>=', addOp: '+', subtractOp: '-', multiplyOp: '*',
  divOp: 'div', modOp: 'mod', unionOp: '|',
};

/** Joins text pieces, merging neighbouring strings. */
function join(...pieces: (XPath1Text | string)[]): XPath1Text {
  const out: XPath1Text = [];
  for (const piece of pieces.flatMap((p) => (typeof p === 'string' ? [p] : p))) {
    const last = out[out.length - 1];
    if (typeof piece === 'string' && typeof last === 'string') out[out.length - 1] = last + piece;
    else out.push(piece);
  }
  return out;
}

/** An expression in XPath 1.0's grammar, written out; NotXPath1 for anything 1.0 cannot say. */
function unparse(node: XmlTree): XPath1Text {
  switch (node.name) {
    case 'pathExpr': return unparsePath(node);
    case 'contextItemExpr': return ['.'];
    case 'stringConstantExpr': return [xpathStringLiteral(child(node, 'value')?.text ?? '')];
    case 'integerConstantExpr':
    case 'decimalConstantExpr': return [child(node, 'value')?.text ?? ''];
    case 'varRef': {
      const name = child(node, 'name');
      if (!name || name.attrs.prefix) throw new NotXPath1('prefixed variable');
      return [{ variable: name.text }];
    }
    case 'sequenceExpr':
      if (node.kids.length !== 1) throw new NotXPath1('a sequence');
      return join('(', unparse(node.kids[0]), ')');
    case 'unaryMinusOp': return join('-', operand(child(node, 'operand')!.kids[0]));
    case 'functionCallExpr': {
      const name = child(node, 'functionName')!;
      if (name.attrs.prefix && name.attrs.prefix !== 'fn') throw new NotXPath1('a function outside the core library');
      if (name.attrs.URI !== undefined && name.attrs.URI !== FN) throw new NotXPath1('a function outside the core library');
      const args = child(node, 'arguments')?.kids ?? [];
      if (args.some((a) => a.name === 'argumentPlaceholder')) throw new NotXPath1('partial application');
      return join(name.text, '(', ...args.flatMap((a, i) => (i ? [', ', unparse(a)] : [unparse(a)])), ')');
    }
    default: {
      const op = BINARY_V1[node.name];
      if (!op) throw new NotXPath1(node.name);
      const [a, b] = operands(node);
      // Every binary operator groups from the left: a chain needs no parentheses on that side.
      return join(a.name === node.name ? unparse(a) : operand(a), ` ${op} `, operand(b));
    }
  }
}

/** An operand of a binary operator: in parentheses when it is an operation itself. */
function operand(node: XmlTree): XPath1Text {
  const text = unparse(node);
  return BINARY_V1[node.name] || node.name === 'unaryMinusOp' ? join('(', text, ')') : text;
}

function unparsePath(path: XmlTree): XPath1Text {
  const steps = path.kids.filter((k) => k.name === 'stepExpr');
  const rooted = child(path, 'rootExpr') !== undefined;
  if (steps.length === 0) return ['/'];
  const written: XPath1Text[] = steps.map((step, i) => {
    const filter = child(step, 'filterExpr');
    if (filter) {
      if (i > 0 || rooted) throw new NotXPath1('an expression as a later step');
      const primary = filter.kids[0];
      // A primary with predicates must be a primary in 1.0's grammar: parenthesize anything else.
      const text = unparse(primary);
      const bare = ['sequenceExpr', 'functionCallExpr', 'varRef', 'stringConstantExpr', 'integerConstantExpr', 'decimalConstantExpr', 'contextItemExpr'].includes(primary.name);
      return join(bare ? text : join('(', text, ')'), predicates(step));
    }
    const axis = child(step, 'xpathAxis')?.text ?? '';
    if (!AXES_V1.has(axis)) throw new NotXPath1(`the ${axis} axis`);
    const test = nodeTest(step);
    const filtered = predicates(step);
    // Written the short way where 1.0 has one, for messages that read like the query.
    if (filtered.length === 0 && test === 'node()') {
      if (axis === 'parent') return ['..'];
      if (axis === 'self') return ['.'];
      // `//` only between steps: a relative path starting with it would turn absolute.
      if (axis === 'descendant-or-self' && i < steps.length - 1 && (i > 0 || rooted)) return [''];
    }
    const prefix = axis === 'child' ? '' : axis === 'attribute' ? '@' : `${axis}::`;
    return join(prefix + test, filtered);
  });
  return join(rooted ? '/' : '', ...written.flatMap((w, i) => (i ? ['/', w] : [w])));
}

function nodeTest(step: XmlTree): string {
  const test = step.kids.find((k) => k.name !== 'xpathAxis' && k.name !== 'predicates');
  switch (test?.name) {
    // Q{uri}name: no way to say it in 1.0 without a prefix bound to the URI.
    case 'nameTest':
      if (test.attrs.URI !== undefined) throw new NotXPath1('a Q{uri} name');
      return test.attrs.prefix ? `${test.attrs.prefix}:${test.text}` : test.text;
    case 'Wildcard': {
      if (test.kids.length === 0) return '*';
      const [first, second] = test.kids;
      if (first.name === 'NCName' && second?.name === 'star') return `${first.text}:*`;
      throw new NotXPath1('a *:name wildcard');
    }
    case 'anyKindTest': return 'node()';
    case 'textTest': return 'text()';
    case 'commentTest': return 'comment()';
    case 'piTest': {
      const target = child(test, 'piTarget');
      return target ? `processing-instruction(${xpathStringLiteral(target.text)})` : 'processing-instruction()';
    }
    default: throw new NotXPath1(`the node test ${test?.name}`);
  }
}

function predicates(step: XmlTree): XPath1Text {
  const list = child(step, 'predicates')?.kids ?? [];
  return join(...list.map((p) => join('[', unparse(p), ']')));
}

export function xpathStringLiteral(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  // XPath 1.0 has no escape inside literals: build the string with concat().
  return `concat(${value.split("'").map((part) => `'${part}'`).join(`, "'", `)})`;
}

// ---------------------------------------------------------------------------------------------
// Same meaning in 1.0 and 3.1

/**
 * What an expression gives, as far as it matters for 1.0 and 3.1 agreeing. 1.0 has one number
 * type (double); 3.1 keeps integers and decimals apart from doubles: it divides integers into a
 * decimal, adds decimals exactly where 1.0 rounds, and writes a double of a million as 1.0E6
 * where 1.0 writes 1000000. So doubles meet in arithmetic only with integers and doubles, and
 * only integers become text the same way in both.
 */
type Kind = 'nodes' | 'string' | 'integer' | 'decimal' | 'double' | 'boolean';

interface Context {
  /** Where to collect arguments counted at run time; null inside predicates (another context). */
  guards: XmlTree[] | null;
}

const isNumeric = (k: Kind) => k === 'integer' || k === 'decimal' || k === 'double';

/** The kind of `a OP b` for + - * div mod, when 1.0 computes the same number as 3.1. */
function arithmetic(op: string, a: Kind, b: Kind): Kind {
  if (a === 'integer' && b === 'integer' && op !== 'divOp') return 'integer';
  const binary = (k: Kind) => k === 'integer' || k === 'double';
  if (binary(a) && binary(b) && (a === 'double' || b === 'double')) return 'double';
  throw new Inexact('arithmetic that 3.1 computes in integers or decimals');
}

/** The kind of an expression whose meaning is the same in 1.0 and 3.1; Inexact otherwise. */
function kindOf(node: XmlTree, ctx: Context): Kind {
  switch (node.name) {
    case 'pathExpr': return pathKind(node, ctx);
    case 'contextItemExpr': return 'nodes';
    case 'stringConstantExpr': return 'string';
    case 'integerConstantExpr': return 'integer';
    case 'decimalConstantExpr': return 'decimal';
    // Parameters are bound as strings.
    case 'varRef': return 'string';
    case 'sequenceExpr':
      if (node.kids.length !== 1) throw new Inexact('a sequence');
      return kindOf(node.kids[0], ctx);
    case 'unaryMinusOp': {
      const k = kindOf(child(node, 'operand')!.kids[0], ctx);
      if (!isNumeric(k)) throw new Inexact('minus of a non-number');
      return k;
    }
    case 'functionCallExpr': return callKind(node, ctx);
    case 'unionOp': {
      const [a, b] = operands(node);
      if (kindOf(a, ctx) !== 'nodes' || kindOf(b, ctx) !== 'nodes') throw new Inexact('union of non-nodes');
      return 'nodes';
    }
    case 'orOp':
    case 'andOp': {
      // Effective boolean value: the same for every kind 1.0 has (a node-set: not empty).
      const [a, b] = operands(node);
      kindOf(a, ctx);
      kindOf(b, ctx);
      return 'boolean';
    }
    case 'equalOp':
    case 'notEqualOp': {
      // Nodes and strings compare as strings in both; numbers with numbers, booleans with
      // booleans. Mixed kinds convert in 1.0 and fail (or cast, and may fail) in 3.1.
      const [a, b] = operands(node).map((o) => kindOf(o, ctx));
      const stringy = (k: Kind) => k === 'nodes' || k === 'string';
      if ((stringy(a) && stringy(b)) || (isNumeric(a) && isNumeric(b)) || (a === 'boolean' && b === 'boolean')) return 'boolean';
      throw new Inexact('a comparison of mixed kinds');
    }
    case 'lessThanOp':
    case 'lessThanOrEqualOp':
    case 'greaterThanOp':
    case 'greaterThanOrEqualOp': {
      // 1.0 orders everything as numbers, 3.1 orders text as text.
      const [a, b] = operands(node).map((o) => kindOf(o, ctx));
      if (isNumeric(a) && isNumeric(b)) return 'boolean';
      throw new Inexact('an ordering comparison of non-numbers');
    }
    case 'addOp':
    case 'subtractOp':
    case 'multiplyOp':
    case 'divOp':
    case 'modOp': {
      const [a, b] = operands(node).map((o) => kindOf(o, ctx));
      return arithmetic(node.name, a, b);
    }
    default: throw new Inexact(node.name);
  }
}

function pathKind(path: XmlTree, ctx: Context): Kind {
  const steps = path.kids.filter((k) => k.name === 'stepExpr');
  if (steps.length === 0) return 'nodes';
  let kind: Kind = 'nodes';
  steps.forEach((step, i) => {
    const filter = child(step, 'filterExpr');
    const hasPredicates = (child(step, 'predicates')?.kids.length ?? 0) > 0;
    if (filter) {
      kind = kindOf(filter.kids[0], ctx);
      if ((hasPredicates || steps.length > 1) && kind !== 'nodes') throw new Inexact('a path over non-nodes');
    } else if (i === 0 || kind === 'nodes') {
      kind = 'nodes';
    }
    // libxml2 keeps a CDATA section as a text node of its own; XPath 3.1 sees one text node.
    if (child(step, 'textTest')) throw new Inexact('text() nodes');
    // Predicates are evaluated once per node: a run-time guard at the top cannot count for them.
    for (const p of child(step, 'predicates')?.kids ?? []) kindOf(p, { guards: null });
  });
  return kind;
}

type Param = 'text' | 'number' | 'nodes' | 'item' | 'any';
interface Signature { params: Param[]; optional?: number; variadic?: boolean; returns: Kind | 'argument' }

// XPath 1.0's function library, with the kind of argument each parameter takes in 3.1:
// `text` (xs:string?: text or nodes; a number or boolean fails in 3.1 and converts in 1.0),
// `number` (a number: nodes would be cast and fail in 3.1 where 1.0 gives NaN), `nodes` (node()*),
// `item` (one atomized item: as text, any kind but non-integer numbers), `any` (effective boolean
// value).
// sum() and id() are left out: sum() casts text and fails where 1.0 gives NaN.
const FUNCTIONS: Record<string, Signature> = {
  'last': { params: [], returns: 'integer' },
  'position': { params: [], returns: 'integer' },
  'count': { params: ['nodes'], returns: 'integer' },
  'local-name': { params: ['nodes'], optional: 1, returns: 'string' },
  'namespace-uri': { params: ['nodes'], optional: 1, returns: 'string' },
  'name': { params: ['nodes'], optional: 1, returns: 'string' },
  'string': { params: ['item'], optional: 1, returns: 'string' },
  'concat': { params: ['item', 'item'], variadic: true, returns: 'string' },
  'starts-with': { params: ['text', 'text'], returns: 'boolean' },
  'contains': { params: ['text', 'text'], returns: 'boolean' },
  'substring-before': { params: ['text', 'text'], returns: 'string' },
  'substring-after': { params: ['text', 'text'], returns: 'string' },
  'substring': { params: ['text', 'number', 'number'], optional: 1, returns: 'string' },
  'string-length': { params: ['text'], optional: 1, returns: 'integer' },
  'normalize-space': { params: ['text'], optional: 1, returns: 'string' },
  'translate': { params: ['text', 'text', 'text'], returns: 'string' },
  'boolean': { params: ['any'], returns: 'boolean' },
  'not': { params: ['any'], returns: 'boolean' },
  'true': { params: [], returns: 'boolean' },
  'false': { params: [], returns: 'boolean' },
  'lang': { params: ['text'], returns: 'boolean' },
  'number': { params: ['item'], optional: 1, returns: 'double' },
  'floor': { params: ['number'], returns: 'argument' },
  'ceiling': { params: ['number'], returns: 'argument' },
  'round': { params: ['number'], returns: 'argument' },
};

function callKind(call: XmlTree, ctx: Context): Kind {
  const name = child(call, 'functionName')!;
  const signature = Object.hasOwn(FUNCTIONS, name.text) ? FUNCTIONS[name.text] : undefined;
  if (!signature || (name.attrs.prefix && name.attrs.prefix !== 'fn') || (name.attrs.URI !== undefined && name.attrs.URI !== FN)) throw new Inexact(`the function ${name.text}`);
  const args = child(call, 'arguments')?.kids ?? [];
  const max = signature.variadic ? Infinity : signature.params.length;
  const min = signature.params.length - (signature.optional ?? 0);
  if (args.length < min || args.length > max) throw new Inexact('a wrong number of arguments');
  const kinds = args.map((arg, i) => {
    const param = signature.params[Math.min(i, signature.params.length - 1)];
    const kind = kindOf(arg, ctx);
    const fits =
      param === 'any' ? true
        : param === 'nodes' ? kind === 'nodes'
          : param === 'number' ? isNumeric(kind)
            : param === 'text' ? kind === 'nodes' || kind === 'string'
              // number() reads text differently in 1.0 ('+5' is NaN there, 5 in 3.1): numbers and booleans only.
              : name.text === 'number' ? kind !== 'string' && kind !== 'nodes' : kind !== 'decimal' && kind !== 'double';
    if (!fits) throw new Inexact(`a ${kind} argument of ${name.text}`);
    // 1.0 takes the first node where 3.1 allows one item: count them at run time.
    const oneItem = param !== 'any' && !(param === 'nodes' && name.text === 'count');
    if (oneItem && kind === 'nodes' && !atMostOneNode(arg)) {
      if (!ctx.guards) throw new Inexact('several nodes where one item is allowed, inside a predicate');
      ctx.guards.push(arg);
    }
    return kind;
  });
  return signature.returns === 'argument' ? kinds[0] : signature.returns;
}

/** The context node, its parent, the root, or one of its attributes by name: never more than one. */
function atMostOneNode(expr: XmlTree): boolean {
  if (expr.name === 'contextItemExpr') return true;
  if (expr.name !== 'pathExpr') return false;
  const steps = expr.kids.filter((k) => k.name === 'stepExpr');
  const rooted = child(expr, 'rootExpr') !== undefined;
  if (steps.length === 0) return rooted;
  if (steps.length !== 1 || rooted || child(steps[0], 'predicates')) return false;
  const axis = child(steps[0], 'xpathAxis')?.text;
  const filter = child(steps[0], 'filterExpr');
  if (filter) return filter.kids[0].name === 'contextItemExpr';
  return axis === 'parent' || axis === 'self' || (axis === 'attribute' && child(steps[0], 'nameTest') !== undefined);
}

// ---------------------------------------------------------------------------------------------
// Rows

function rowShape(expr: XmlTree): { rows: XmlTree; columns: { name: string; value: XmlTree }[] } | null {
  if (expr.name !== 'simpleMapExpr' || expr.kids.length !== 2) return null;
  const [rows, mapped] = expr.kids;
  if (rows.name !== 'pathExpr' && rows.name !== 'unionOp') return null;
  const steps = mapped.name === 'pathExpr' ? mapped.kids : [];
  const filter = steps.length === 1 ? find(steps[0], 'filterExpr') : undefined;
  const map = filter?.kids[0];
  if (!map || map.name !== 'mapConstructor' || child(steps[0], 'predicates')) return null;
  const columns: { name: string; value: XmlTree }[] = [];
  for (const entry of map.kids) {
    const key = find(entry, 'mapKeyExpr')?.kids[0];
    const value = find(entry, 'mapValueExpr')?.kids[0];
    if (!key || key.name !== 'stringConstantExpr' || !value) return null;
    columns.push({ name: child(key, 'value')?.text ?? '', value });
  }
  return columns.length ? { rows, columns } : null;
}

// ---------------------------------------------------------------------------------------------
// Requirements

function isNone(r: Requirement): boolean {
  return 'all' in r && r.all.length === 0;
}

function allOf(parts: Requirement[]): Requirement {
  const kept = parts.flatMap((p) => ('all' in p ? p.all : [p]));
  return kept.length === 1 ? kept[0] : { all: kept };
}

function anyOf(parts: Requirement[]): Requirement {
  if (parts.some(isNone)) return NO_REQUIREMENT;
  const kept = parts.flatMap((p) => ('any' in p ? p.any : [p]));
  return kept.length === 1 ? kept[0] : { any: kept };
}

/** Text that appears verbatim in the bytes whenever it appears in the document: ASCII, nothing escaped or normalised. */
function isVerbatim(text: string): boolean {
  // > is written &gt; as often as not (libxml2 and libvirt both do): not verbatim either.
  return text.length > 0 && /^[\x21-\x7e]+$/.test(text) && !/[<>&'"]/.test(text);
}

/**
 * What any document must contain for this expression to select anything. Only location paths
 * qualify (a node can be selected only if each named step's name is in the document) — a
 * union, a function call or a literal can give a result from any document.
 */
function requirement(expr: XmlTree): Requirement {
  if (expr.name !== 'pathExpr') return NO_REQUIREMENT;
  const required: Requirement[] = [];
  for (const step of expr.kids.filter((k) => k.name === 'stepExpr')) {
    if (child(step, 'filterExpr')) {
      // Only `.` as a first step keeps the path a plain walk from the context node.
      if (child(step, 'filterExpr')!.kids[0].name !== 'contextItemExpr') return NO_REQUIREMENT;
    }
    const test = child(step, 'nameTest');
    if (test) required.push(...nameText(test.text));
    for (const p of child(step, 'predicates')?.kids ?? []) required.push(predicateRequires(p));
  }
  return allOf(required);
}

/**
 * What a document must contain for this predicate to be true: for `A or B` what either needs,
 * for `A and B` what both need, for `@name = 'literal'` that attribute written with that value,
 * for a path what the path needs. Anything that can be true without its text being present
 * (not(), !=, function calls, variables, numbers) requires nothing.
 */
function predicateRequires(pred: XmlTree): Requirement {
  switch (pred.name) {
    case 'orOp': return anyOf(operands(pred).map(predicateRequires));
    case 'andOp': return allOf(operands(pred).map(predicateRequires));
    case 'sequenceExpr': return pred.kids.length === 1 ? predicateRequires(pred.kids[0]) : NO_REQUIREMENT;
    case 'pathExpr': return requirement(pred);
    case 'equalOp': {
      const [a, b] = operands(pred);
      const [path, literal] = b.name === 'stringConstantExpr' ? [a, b] : a.name === 'stringConstantExpr' ? [b, a] : [null, null];
      if (!path || !literal || path.name !== 'pathExpr') return NO_REQUIREMENT;
      const value = child(literal, 'value')?.text ?? '';
      const found = [requirement(path)];
      if (!isVerbatim(value)) return allOf(found);
      const steps = path.kids.filter((k) => k.name === 'stepExpr');
      const last = steps[steps.length - 1];
      const attribute = last && child(last, 'xpathAxis')?.text === 'attribute' && !child(last, 'predicates') ? child(last, 'nameTest') : undefined;
      // An attribute equal to the literal is written name='literal' (no DTD, no references:
      // the pre-filter checks); an element's text only contains it somewhere.
      if (attribute && isVerbatim(attribute.text)) found.push({ attribute: attribute.text, value });
      else found.push({ content: value });
      return allOf(found);
    }
    default: return NO_REQUIREMENT;
  }
}

function nameText(local: string): Requirement[] {
  return /^[\x21-\x7e]+$/.test(local) ? [{ text: local }] : [];
}

// ---------------------------------------------------------------------------------------------
// Binding

export class UnboundVariableError extends Error {
  constructor(readonly variable: string) { super(`$${variable} is not bound: pass --param ${variable}=VALUE`); }
}

/** The text libxml2 compiles: each $variable replaced by its value as a string literal. */
export function bindText(text: XPath1Text, params: Record<string, string>): string {
  return text.map((piece) => {
    if (typeof piece === 'string') return piece;
    if (!Object.hasOwn(params, piece.variable)) throw new UnboundVariableError(piece.variable);
    const value = params[piece.variable];
    return xpathStringLiteral(value);
  }).join('');
}

/** The text as written for a message ($variables as names). */
export function displayText(text: XPath1Text): string {
  return text.map((piece) => (typeof piece === 'string' ? piece : `$${piece.variable}`)).join('');
}
