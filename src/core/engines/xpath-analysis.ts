// Static look at an XPath expression, so the fast engine (libxml2, XPath 1.0) runs every query
// whose answer it gives exactly as XPath 3.1 would, and SaxonJS runs the rest. Also finds the
// literal strings a matching document must contain, so most files need no parse at all.

export type TokenKind = 'string' | 'number' | 'name' | 'variable' | 'op' | 'comment';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** For strings: the value without quotes. For variables: the name without `$`. */
  value?: string;
}

export class XPathSyntaxError extends Error {}

const NAME_START = /[A-Za-z_\u00C0-\uFFFF]/;
const NAME_CHAR = /[A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]/;
const OPERATORS = ['//', '::', '..', '!=', '<=', '>=', '||', '=>', ':=', '/', '(', ')', '[', ']', '.', '@', ',', '|', '!', '<', '>', '=', '+', '-', '*', '?', '{', '}', '#', ':', '$'];

export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) { i++; continue; }
    const start = i;
    if (c === '(' && expr[i + 1] === ':') {
      let depth = 0;
      while (i < expr.length) {
        if (expr.startsWith('(:', i)) { depth++; i += 2; }
        else if (expr.startsWith(':)', i)) { depth--; i += 2; if (depth === 0) break; }
        else i++;
      }
      if (depth !== 0) throw new XPathSyntaxError('unterminated comment (: … :)');
      tokens.push({ kind: 'comment', text: expr.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= expr.length) throw new XPathSyntaxError(`unterminated string literal at offset ${start}`);
        if (expr[i] === c) {
          if (expr[i + 1] === c) { value += c; i += 2; continue; }
          i++;
          break;
        }
        value += expr[i++];
      }
      tokens.push({ kind: 'string', text: expr.slice(start, i), start, end: i, value });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(expr.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: 'number', text: m[0], start, end: i });
      continue;
    }
    if (c === '$') {
      i++;
      while (i < expr.length && /\s/.test(expr[i])) i++;
      const nameStart = i;
      while (i < expr.length && (NAME_CHAR.test(expr[i]) || (expr[i] === ':' && NAME_START.test(expr[i + 1] ?? '')))) i++;
      if (i === nameStart) throw new XPathSyntaxError(`'$' without a variable name at offset ${start}`);
      tokens.push({ kind: 'variable', text: expr.slice(start, i), start, end: i, value: expr.slice(nameStart, i) });
      continue;
    }
    if (NAME_START.test(c)) {
      while (i < expr.length && NAME_CHAR.test(expr[i])) i++;
      // A QName (prefix:local) or a prefix:* wildcard, but not an axis (name::) or a map key.
      if (expr[i] === ':' && expr[i + 1] !== ':' && expr[i + 1] !== '=' && (NAME_START.test(expr[i + 1] ?? '') || expr[i + 1] === '*')) {
        i++;
        if (expr[i] === '*') i++;
        else while (i < expr.length && NAME_CHAR.test(expr[i])) i++;
      }
      // A trailing '.' or '-' belongs to the name in XPath, but "a -1" style arithmetic is rare; keep the name greedy as the grammar says.
      tokens.push({ kind: 'name', text: expr.slice(start, i), start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => expr.startsWith(o, i));
    if (!op) throw new XPathSyntaxError(`unexpected character '${c}' at offset ${i}`);
    i += op.length;
    tokens.push({ kind: 'op', text: op, start, end: i });
  }
  return tokens;
}

// XPath 1.0 core function library (plus the node tests that look like calls).
const XPATH1_FUNCTIONS = new Set([
  'last', 'position', 'count', 'id', 'local-name', 'namespace-uri', 'name', 'string', 'concat',
  'starts-with', 'contains', 'substring-before', 'substring-after', 'substring', 'string-length',
  'normalize-space', 'translate', 'boolean', 'not', 'true', 'false', 'lang', 'number', 'sum',
  'floor', 'ceiling', 'round',
]);
const NODE_TESTS = new Set(['node', 'text', 'comment', 'processing-instruction']);
const XPATH1_OPERATOR_NAMES = new Set(['and', 'or', 'div', 'mod']);
const NUMERIC_FUNCTIONS = new Set(['number', 'count', 'sum', 'string-length', 'floor', 'ceiling', 'round', 'last', 'position']);
const OPERATOR_TOKENS_V1 = new Set(['//', '::', '..', '!=', '<=', '>=', '/', '(', ')', '[', ']', '.', '@', ',', '|', '<', '>', '=', '+', '-', '*']);

/**
 * For each token, whether it stands where an operator is expected (right after a complete
 * operand). There a name such as `and`, `div` or `eq` is an operator and `*` multiplies; elsewhere
 * they are name tests. This is XPath's own lexical disambiguation rule.
 */
function operatorPositions(tokens: Token[]): boolean[] {
  const positions: boolean[] = [];
  let operandEnded = false;
  tokens.forEach((t, i) => {
    positions.push(operandEnded);
    if (t.kind === 'comment') { positions[i] = false; return; }
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'variable') operandEnded = true;
    else if (t.kind === 'name') {
      const next = tokens[i + 1]?.text;
      operandEnded = !operandEnded && next !== '(' && next !== '::';
    } else if (t.text === '*') operandEnded = !operandEnded;
    else operandEnded = [')', ']', '.', '..'].includes(t.text);
  });
  return positions;
}

/**
 * Whether XPath 1.0 (libxml2) gives the same answer as XPath 3.1 for this expression. Conservative:
 * any construct whose meaning differs between the two (string ordering comparisons, 3.1 syntax,
 * functions outside the 1.0 library) sends it to SaxonJS.
 */
export function isXPath1Compatible(tokens: Token[], guards?: Token[][]): boolean {
  const operatorAt = operatorPositions(tokens);
  const depths = bracketDepths(tokens);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'comment') continue;
    if (t.kind === 'op') {
      if (!OPERATOR_TOKENS_V1.has(t.text)) return false;
      if (['<', '>', '<=', '>='].includes(t.text) && !numericNeighbour(tokens, i)) return false;
      continue;
    }
    if (t.kind !== 'name') continue;
    const next = tokens[i + 1];
    if (operatorAt[i]) {
      if (!XPATH1_OPERATOR_NAMES.has(t.text)) return false;
      continue;
    }
    if (next?.kind === 'op' && next.text === '(') {
      if (!XPATH1_FUNCTIONS.has(t.text) && !NODE_TESTS.has(t.text)) return false;
      if (ONE_ITEM_ARGUMENTS.has(t.text)) {
        const several = callArguments(tokens, i + 1).filter((a) => !atMostOneItem(a));
        // Outside predicates an argument can be checked at run time instead: the caller counts
        // its items before evaluating (a guard), and fails as XPath 3.1 does when there are more.
        if (several.length && (!guards || depths[i] > 0)) return false;
        guards?.push(...several);
      }
      if (NUMERIC_ARGUMENTS.has(t.text) && !callArguments(tokens, i + 1).every(isNumericValue)) return false;
    }
  }
  // Numbers from nodes: 1.0 reads a non-numeric value as NaN, 3.1 raises an error; and a node-set
  // operand is its first node in 1.0, an error in 3.1. Arithmetic, and comparisons with a number,
  // stay on libxml2 only when every operand is a number already.
  return tokens.every((t, i) => {
    if (isArithmetic(t, operatorAt[i])) return operandsAround(tokens, i).every(isNumericValue);
    if (operatorAt[i] && t.kind === 'op' && ['=', '!=', '<', '>', '<=', '>='].includes(t.text)) {
      const operands = operandsAround(tokens, i);
      return !operands.some(isNumericValue) || operands.every(isNumericValue);
    }
    return true;
  });
}

/** For each token, how many predicates [ … ] it stands inside. */
function bracketDepths(tokens: Token[]): number[] {
  let depth = 0;
  return tokens.map((t) => {
    if (t.kind === 'op' && t.text === '[') return depth++;
    if (t.kind === 'op' && t.text === ']') return --depth;
    return depth;
  });
}

// Functions of numbers: their node arguments are read as numbers (see above).
const NUMERIC_ARGUMENTS = new Set(['floor', 'ceiling', 'round', 'sum']);

/** A number literal, or a call of a 1.0 function that returns a number computed the same way in 3.1. */
function isNumericValue(operand: Token[]): boolean {
  const t = operand.filter((x) => x.kind !== 'comment');
  if (t.length === 1) return t[0].kind === 'number';
  if (t.length === 2 && t[0].text === '-' && t[1].kind === 'number') return true;
  return t.length >= 3 && t[0].kind === 'name' && SAME_NUMBER_FUNCTIONS.has(t[0].text) && wholeCall(t);
}

// count, string-length, number, position and last give the same number in both versions (number()
// gives NaN for a non-number in both); floor, ceiling and round only of such a number.
const SAME_NUMBER_FUNCTIONS = new Set(['count', 'string-length', 'number', 'position', 'last', 'floor', 'ceiling', 'round']);

/** Whether the tokens are one call, name( … ), and nothing more. */
function wholeCall(t: Token[]): boolean {
  if (t.length < 3 || t[1].text !== '(' || t[t.length - 1].text !== ')') return false;
  let depth = 0;
  for (let j = 1; j < t.length; j++) {
    if (t[j].text === '(') depth++;
    else if (t[j].text === ')' && --depth === 0) return j === t.length - 1;
  }
  return false;
}

// Functions whose 1.0 form takes the first node of a node-set argument, where XPath 3.1 raises a
// cardinality error for more than one: concat(//mac/@address, '') gives one MAC in 1.0 and an
// error in 3.1. Such a call stays on libxml2 only when each argument is at most one item.
const ONE_ITEM_ARGUMENTS = new Set([
  'string', 'concat', 'starts-with', 'contains', 'substring-before', 'substring-after', 'substring',
  'string-length', 'normalize-space', 'translate', 'number', 'name', 'local-name', 'namespace-uri',
  'lang', 'floor', 'ceiling', 'round',
]);

/** The tokens of each argument of the call whose '(' is at `open`. */
function callArguments(tokens: Token[], open: number): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let j = open + 1; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind === 'comment') continue;
    if (t.kind === 'op' && (t.text === '(' || t.text === '[')) depth++;
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && t.kind === 'op' && t.text === ',') {
      args.push([]);
      continue;
    }
    args[args.length - 1].push(t);
  }
  return args.filter((a) => a.length > 0);
}

/**
 * Whether an operand is certainly at most one item: anything but a path (a literal, a variable,
 * arithmetic, a comparison, a call of a 1.0 function that returns one value), or a path that
 * cannot select more than one node: the context node, its parent, one of its attributes.
 */
function atMostOneItem(operand: Token[]): boolean {
  const t = operand.filter((x) => x.kind !== 'comment');
  if (!isPathExpression(t)) return true;
  if (t.length === 1) return t[0].text === '.' || t[0].text === '..';
  return t.length === 2 && t[0].text === '@' && t[1].kind === 'name';
}

const PATH_TOKENS = new Set(['/', '//', '@', '::', '.', '..', '*', '|', ':']);

/** A location path (or a union of them): nodes, as many as it finds. */
function isPathExpression(t: Token[]): boolean {
  const operatorAt = operatorPositions(t);
  let depth = 0;
  for (let j = 0; j < t.length; j++) {
    const x = t[j];
    if (x.text === '(' || x.text === '[') { depth++; continue; }
    if (x.text === ')' || x.text === ']') { depth--; continue; }
    if (depth > 0) continue;
    if (x.kind === 'name') {
      if (operatorAt[j]) return false;
      // A function call at the top is a value, except id(), which returns nodes.
      if (t[j + 1]?.text === '(' && !NODE_TESTS.has(x.text) && x.text !== 'id') return false;
      continue;
    }
    if (x.kind === 'op' && PATH_TOKENS.has(x.text) && !(x.text === '*' && operatorAt[j])) continue;
    return false;
  }
  return true;
}

/** Binary arithmetic: 1.0 takes the number of the first node, 3.1 refuses several. */
function isArithmetic(t: Token, operatorPosition: boolean): boolean {
  if (!operatorPosition) return false;
  return (t.kind === 'op' && (t.text === '+' || t.text === '-' || t.text === '*')) || (t.kind === 'name' && (t.text === 'div' || t.text === 'mod'));
}

const OPERAND_STOPS = new Set([',', '=', '!=', '<', '>', '<=', '>=', '+', '-', '*', '|']);
// Comparisons bind looser than arithmetic, and and/or looser still: an operand ends at any of them.
const OPERAND_STOP_NAMES = new Set(['and', 'or', 'div', 'mod']);

/** The operands on either side of the binary operator at `i`, at its own nesting depth. */
function operandsAround(tokens: Token[], i: number): Token[][] {
  const operatorAt = operatorPositions(tokens);
  const isStop = (j: number) => operatorAt[j] && ((tokens[j].kind === 'op' && OPERAND_STOPS.has(tokens[j].text)) || (tokens[j].kind === 'name' && OPERAND_STOP_NAMES.has(tokens[j].text)));
  const left: Token[] = [];
  for (let j = i - 1, depth = 0; j >= 0; j--) {
    const x = tokens[j];
    if (x.text === ')' || x.text === ']') depth++;
    else if (x.text === '(' || x.text === '[') { if (depth === 0) break; depth--; }
    else if (depth === 0 && (x.text === ',' || isStop(j))) break;
    left.unshift(x);
  }
  const right: Token[] = [];
  for (let j = i + 1, depth = 0; j < tokens.length; j++) {
    const x = tokens[j];
    if (x.text === '(' || x.text === '[') depth++;
    else if (x.text === ')' || x.text === ']') { if (depth === 0) break; depth--; }
    else if (depth === 0 && (x.text === ',' || (isStop(j) && right.length > 0))) break;
    right.push(x);
  }
  return [left, right];
}

// In 3.1 two untyped operands of < > are compared as strings; in 1.0 as numbers. They agree only
// when one side is certainly numeric, which a number literal or numeric function right beside the
// operator shows.
function numericNeighbour(tokens: Token[], i: number): boolean {
  const next = tokens[i + 1];
  const afterMinus = next?.kind === 'op' && next.text === '-' ? tokens[i + 2] : next;
  if (afterMinus?.kind === 'number') return true;
  if (afterMinus?.kind === 'name' && NUMERIC_FUNCTIONS.has(afterMinus.text) && tokens[i + (afterMinus === next ? 2 : 3)]?.text === '(') return true;
  const prev = tokens[i - 1];
  if (prev?.kind === 'number') return true;
  if (prev?.text === ')') {
    // Find the call this ')' closes and check whether it is a numeric function.
    let depth = 0;
    for (let j = i - 1; j >= 0; j--) {
      if (tokens[j].text === ')') depth++;
      else if (tokens[j].text === '(') {
        depth--;
        if (depth === 0) return tokens[j - 1]?.kind === 'name' && NUMERIC_FUNCTIONS.has(tokens[j - 1].text);
      }
    }
  }
  return false;
}

export function xpathStringLiteral(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  // XPath 1.0 has no escape inside literals: build the string with concat().
  return `concat(${value.split("'").map((part) => `'${part}'`).join(`, "'", `)})`;
}

/**
 * The expression text for libxml2: comments removed and $variables replaced by string literals
 * (a string-valued variable and a literal behave identically in XPath 1.0).
 */
export function xpath1Text(expr: string, tokens: Token[], params: Record<string, string>): string {
  let out = '';
  let at = 0;
  for (const t of tokens) {
    if (t.kind === 'comment') { out += expr.slice(at, t.start) + ' '; at = t.end; }
    else if (t.kind === 'variable') {
      const value = params[t.value!];
      if (value === undefined) throw new UnboundVariableError(t.value!);
      out += expr.slice(at, t.start) + xpathStringLiteral(value);
      at = t.end;
    }
  }
  return (out + expr.slice(at)).trim();
}

export class UnboundVariableError extends Error {
  constructor(readonly variable: string) { super(`$${variable} is not bound: pass --param ${variable}=VALUE`); }
}

export interface RowShape {
  /** Expression selecting the rows. */
  rows: Token[];
  /** Column name → expression evaluated with each row as the context item. */
  columns: { name: string; tokens: Token[] }[];
}

/** Depth-0 split helper: returns indexes of tokens matching `pred` outside any brackets. */
function topLevelIndexes(tokens: Token[], pred: (t: Token) => boolean): number[] {
  const found: number[] = [];
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && pred(t)) found.push(i);
  });
  return found;
}

/**
 * Recognises `ROWS ! map { 'col': EXPR, … }`, the shape of a tabular query. The fast engine can run
 * it as one 1.0 evaluation for the rows plus one per column per row.
 */
export function rowShape(tokens: Token[]): RowShape | null {
  const code = tokens.filter((t) => t.kind !== 'comment');
  const bangs = topLevelIndexes(code, (t) => t.kind === 'op' && t.text === '!');
  if (bangs.length !== 1) return null;
  const bang = bangs[0];
  const rest = code.slice(bang + 1);
  if (rest.length < 3 || rest[0].text !== 'map' || rest[1].text !== '{' || rest[rest.length - 1].text !== '}') return null;
  const body = rest.slice(2, -1);
  const commas = topLevelIndexes(body, (t) => t.kind === 'op' && t.text === ',');
  const columns: RowShape['columns'] = [];
  let from = 0;
  for (const end of [...commas, body.length]) {
    const entry = body.slice(from, end);
    from = end + 1;
    if (entry.length < 3 || entry[0].kind !== 'string' || entry[1].text !== ':') return null;
    columns.push({ name: entry[0].value!, tokens: entry.slice(2) });
  }
  return { rows: code.slice(0, bang), columns };
}

export function tokensText(expr: string, tokens: Token[]): string {
  if (tokens.length === 0) return '';
  return expr.slice(tokens[0].start, tokens[tokens.length - 1].end);
}

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

function isNone(r: Requirement): boolean {
  return 'all' in r && r.all.length === 0;
}

function allOf(parts: Requirement[]): Requirement {
  const kept = parts.flatMap((p) => ('all' in p ? p.all : [p]));
  return kept.length === 1 ? kept[0] : { all: kept };
}

function anyOf(parts: Requirement[]): Requirement {
  return parts.some(isNone) ? NO_REQUIREMENT : parts.length === 1 ? parts[0] : { any: parts };
}

/**
 * What any document must contain for this node-set expression to select anything. Only simple
 * location paths qualify: no unions, no `not`/`!=`, no function calls in predicates — each of
 * those can make a node match without the text being present. NO_REQUIREMENT when nothing
 * certain can be said.
 */
export function requiredContent(tokens: Token[]): Requirement {
  const code = tokens.filter((t) => t.kind !== 'comment');
  if (code.length === 0) return NO_REQUIREMENT;
  const first = code[0];
  const isPath = (first.kind === 'op' && ['/', '//', '@', '.', '..'].includes(first.text)) ||
    (first.kind === 'name' && code[1]?.text !== '(');
  if (!isPath) return NO_REQUIREMENT;
  const required: Requirement[] = [];
  const operatorAt = operatorPositions(code);
  let depth = 0;
  let predicateStart = -1;
  for (let i = 0; i < code.length; i++) {
    const t = code[i];
    if (t.kind === 'op' && t.text === '[') {
      if (depth === 0) predicateStart = i;
      depth++;
      continue;
    }
    if (t.kind === 'op' && t.text === ']') {
      depth--;
      if (depth === 0) required.push(predicateRequires(code.slice(predicateStart + 1, i)));
      continue;
    }
    if (depth > 0) continue;
    if (t.kind === 'op' && t.text === '|') return NO_REQUIREMENT;
    if (t.kind === 'op' && ['(', ')', ','].includes(t.text)) return NO_REQUIREMENT;
    if (t.kind === 'variable' || t.kind === 'string' || t.kind === 'number') return NO_REQUIREMENT;
    if (t.kind === 'name') {
      if (code[i + 1]?.text === '(') {
        if (NODE_TESTS.has(t.text)) { i += 2; continue; }
        return NO_REQUIREMENT;
      }
      if (code[i + 1]?.text === '::') continue;
      if (operatorAt[i]) return NO_REQUIREMENT;
      required.push(...nameText(t.text));
    }
  }
  return allOf(required);
}

/** Splits at depth-0 occurrences of the operator name `op` (`and` / `or`) standing as an operator. */
function splitAtOperator(tokens: Token[], op: string): Token[][] {
  const operatorAt = operatorPositions(tokens);
  const parts: Token[][] = [[]];
  let depth = 0;
  tokens.forEach((t, i) => {
    if (t.kind === 'op' && (t.text === '(' || t.text === '[')) depth++;
    if (t.kind === 'op' && (t.text === ')' || t.text === ']')) depth--;
    if (depth === 0 && t.kind === 'name' && t.text === op && operatorAt[i]) parts.push([]);
    else parts[parts.length - 1].push(t);
  });
  return parts;
}

/** Text that appears verbatim in the bytes whenever it appears in the document: ASCII, nothing escaped or normalised. */
function isVerbatim(text: string): boolean {
  return text.length > 0 && /^[\x21-\x7e]+$/.test(text) && !/[<&'"]/.test(text);
}

/**
 * What a document must contain for this predicate to be true: for `A or B` what either needs,
 * for `A and B` what both need, for `@name = 'literal'` that attribute written with that value.
 * Anything that can be true without its text being present (not(), !=, function calls,
 * variables, arithmetic) requires nothing.
 */
function predicateRequires(pred: Token[]): Requirement {
  const alternatives = splitAtOperator(pred, 'or');
  if (alternatives.length > 1) return anyOf(alternatives.map(predicateRequires));
  const conjuncts = splitAtOperator(pred, 'and');
  if (conjuncts.length > 1) return allOf(conjuncts.map(predicateRequires));
  if (pred.length >= 2 && pred[0].text === '(' && pred[pred.length - 1].text === ')' && closesAt(pred, 0) === pred.length - 1) {
    return predicateRequires(pred.slice(1, -1));
  }
  const found: Requirement[] = [];
  const attribute = attributeEquality(pred);
  if (attribute) found.push(attribute);
  const operatorAt = operatorPositions(pred);
  for (let i = 0; i < pred.length; i++) {
    const t = pred[i];
    if (t.kind === 'variable') return NO_REQUIREMENT;
    if (t.kind === 'op' && ['|', '!=', '(', ')', ',', '[', ']', '-', '+', '*'].includes(t.text)) return NO_REQUIREMENT;
    if (t.kind === 'name') {
      // `div` and `mod` where an operator stands: arithmetic, not an element name.
      if (operatorAt[i]) return NO_REQUIREMENT;
      if (pred[i + 1]?.text === '(' || pred[i + 1]?.text === '::') return NO_REQUIREMENT;
      found.push(...nameText(t.text));
    }
    // The literal of an attribute comparison is already required, more strictly, by `attribute`.
    if (t.kind === 'string' && isVerbatim(t.value!) && !(attribute && 'value' in attribute && attribute.value === t.value)) {
      found.push({ content: t.value! });
    }
  }
  return allOf(found);
}

/**
 * `PATH/@name = 'literal'` (either way round): a general comparison of attribute string values
 * with a string, true only if some attribute `name` has exactly that value — which, in a file
 * without character references or a DTD, is written `name='literal'` or `name="literal"`.
 */
function attributeEquality(pred: Token[]): Requirement | null {
  const eq = pred.findIndex((t) => t.kind === 'op' && t.text === '=');
  if (eq < 0 || pred.findIndex((t, i) => i > eq && t.kind === 'op' && t.text === '=') >= 0) return null;
  const left = pred.slice(0, eq);
  const right = pred.slice(eq + 1);
  const [path, literal] = right.length === 1 && right[0].kind === 'string' ? [left, right[0]]
    : left.length === 1 && left[0].kind === 'string' ? [right, left[0]] : [null, null];
  if (!path || !literal || !isVerbatim(literal.value!)) return null;
  const n = path.length;
  if (n < 2 || path[n - 2].text !== '@' || path[n - 1].kind !== 'name') return null;
  const local = localName(path[n - 1].text);
  return local === '*' || !isVerbatim(local) ? null : { attribute: local, value: literal.value! };
}

function closesAt(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) return i;
  }
  return -1;
}

function localName(qname: string): string {
  return qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname;
}

function nameText(qname: string): Requirement[] {
  const local = localName(qname);
  return local !== '*' && /^[\x21-\x7e]+$/.test(local) ? [{ text: local }] : [];
}
