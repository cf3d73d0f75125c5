// The lint rules, read from their XSLT modules (stylesheets/lint/<id>.xsl): each declares its
// rule (<lint:rule id severity summary …/>) and templates in mode lint:<id> that produce one
// <lint:finding message="…"/> or <lint:fact key="…"/> per node they match. The templates are
// kept to XPath 1.0 (patterns and attribute value templates), so the same module runs two ways:
// here, as libxml2 XPath for speed (tens of thousands of files a run), and as the XSLT it is in
// SaxonJS, which the tests hold the fast path to (referenceStylesheet()).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { XmlDocument, type XmlElement } from 'libxml2-wasm';
import { PROJECT_ROOT } from '../version.js';
import { xpathStringLiteral } from '../engines/query-plan.js';

export const SEVERITIES = ['error', 'warning', 'note'] as const;
export type Severity = typeof SEVERITIES[number];

export const LINT_DIR = join(fileURLToPath(PROJECT_ROOT), 'stylesheets', 'lint');
const UNITS_FILE = join(fileURLToPath(PROJECT_ROOT), 'stylesheets', 'lib', 'units.json');
const LINT_NS = 'urn:domfleet:lint';
const XSL_NS = 'http://www.w3.org/1999/XSL/Transform';

/** What one template produces for each node it matches; expressions are XPath 1.0 (a message may be `literal` text). */
export type LintTemplate =
  | { kind: 'finding'; match: string; message: string; literal?: boolean }
  | {
    kind: 'fact'; match: string; key: string; shown: string | null; exempt: string | null;
    /** Joined per host or over the fleet, where it differs from the rule's join. */
    scope: 'host' | 'fleet' | null;
    /** A path that, under one of the policy's shared-storage folders, joins the fact over the fleet. */
    storage: string | null;
  }
  | { kind: 'constructs'; list: string };

export interface LintRule {
  /** Stable kebab-case id, the module's file name. */
  id: string;
  severity: Severity;
  summary: string;
  /** Cross-file rules: facts are joined over the whole fleet, or per host. */
  join: 'fleet' | 'host' | null;
  /** A joined finding's message, with {shown} (the fact) and {others} (where else it is). */
  joinMessage: string | null;
  /** Off unless enabled (the schema rule costs more than every other rule together). */
  enabledByDefault: boolean;
  /** What the rule needs to run at all (unknown-bridge: the list of known bridges). */
  needs: 'bridges' | null;
  /** Checked in TypeScript rather than by templates (schema: validate's verdict). */
  check: 'schema' | null;
  templates: LintTemplate[];
}

export class LintRuleError extends Error {}

const NS = { xsl: XSL_NS, lint: LINT_NS };

function attr(el: XmlElement, name: string): string | null {
  const value = el.attr(name)?.value;
  return value === undefined ? null : value;
}

/**
 * An attribute value template as one XPath 1.0 string expression. Braces inside string literals
 * belong to the expression; {{ and }} are literal braces.
 */
export function avtToXPath(avt: string): string {
  const parts: string[] = [];
  let text = '';
  for (let i = 0; i < avt.length; i++) {
    const c = avt[i];
    if ((c === '{' || c === '}') && avt[i + 1] === c) { text += c; i++; continue; }
    if (c === '}') throw new LintRuleError(`unbalanced } in "${avt}"`);
    if (c !== '{') { text += c; continue; }
    let j = i + 1;
    let quote: string | null = null;
    for (; j < avt.length; j++) {
      const d = avt[j];
      if (quote) { if (d === quote) quote = null; } else if (d === '"' || d === "'") quote = d; else if (d === '}') break;
    }
    if (j >= avt.length) throw new LintRuleError(`unclosed { in "${avt}"`);
    if (text) parts.push(xpathStringLiteral(text));
    text = '';
    parts.push(`string(${avt.slice(i + 1, j).trim()})`);
    i = j;
  }
  if (text || !parts.length) parts.push(xpathStringLiteral(text));
  return parts.length === 1 ? parts[0] : `concat(${parts.join(', ')})`;
}

let unitTable: [string, string][] | null = null;

/**
 * lint:kib(PATH) as XPath 1.0 arithmetic over the units table (lib/units.json), meaning what
 * f:to-kib means: whole numbers only, no unit is KiB, units in any letter case, rounded up to
 * whole KiB, NaN (so every comparison is false) where f:to-kib gives nothing. The unit is looked
 * up in the table written as one string ('|kib=1024|mib=…|'): one lookup instead of a comparison
 * per spelling, which made this the slowest rule.
 */
export function expandKib(expression: string): string {
  unitTable ??= Object.entries(JSON.parse(readFileSync(UNITS_FILE, 'utf8')) as Record<string, string>).filter(([k]) => !k.startsWith('_'));
  const table = `|${unitTable.map(([u, b]) => `${u}=${b}`).join('|')}|`;
  return expression.replace(/lint:kib\(([^()]*)\)/g, (_, arg: string) => {
    const path = arg.trim();
    const value = `normalize-space(${path})`;
    const written = `translate(${path}/@unit, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
    // No unit (or only spaces) is KiB; a unit with the table's separators in it is unknown.
    const unit = `concat(substring(${written}, 1, string-length(${written}) * number(normalize-space(${path}/@unit) != '' and translate(${path}/@unit, '|=', '') = ${path}/@unit)), substring('kib', 1, 3 * number(normalize-space(${path}/@unit) = '')))`;
    const bytes = `substring-before(substring-after('${table}', concat('|', ${unit}, '=')), '|')`;
    const whole = `substring(${value}, 1, string-length(${value}) * number(translate(${value}, '0123456789', '') = ''))`;
    return `ceiling(number(${whole}) * number(${bytes}) div 1024)`;
  });
}

const toXPath1 = (expression: string) => expandKib(expression.replace(/\s+/g, ' ').trim());

function readModule(file: string): LintRule {
  const id = file.replace(/\.xsl$/, '');
  const doc = XmlDocument.fromBuffer(readFileSync(join(LINT_DIR, file)));
  try {
    const [ruleEl] = doc.root.find('lint:rule', NS) as XmlElement[];
    if (!ruleEl) throw new LintRuleError(`${file}: no <lint:rule>`);
    const severity = attr(ruleEl, 'severity') as Severity;
    if (attr(ruleEl, 'id') !== id) throw new LintRuleError(`${file}: the rule's id must be its file name (${id})`);
    if (!SEVERITIES.includes(severity)) throw new LintRuleError(`${file}: severity must be one of ${SEVERITIES.join(', ')}`);
    const join = attr(ruleEl, 'join') as LintRule['join'];
    const templates: LintTemplate[] = (doc.root.find('xsl:template', NS) as XmlElement[]).map((t) => {
      if (attr(t, 'mode') !== `lint:${id}`) throw new LintRuleError(`${file}: templates must be in mode lint:${id}`);
      const body = (t.find('*') as XmlElement[]);
      const [only] = body;
      if (body.length !== 1) throw new LintRuleError(`${file}: a template makes exactly one finding, fact or construct list`);
      if (only.namespaceUri === XSL_NS && only.name === 'call-template' && attr(only, 'name') === 'lint:constructs') {
        const list = /^'([a-z0-9-]+)'$/.exec(attr(only.get('xsl:with-param', NS) as XmlElement, 'select') ?? '')?.[1];
        if (!list) throw new LintRuleError(`${file}: lint:constructs takes the list's name as a string literal`);
        return { kind: 'constructs', list };
      }
      const match = toXPath1(attr(t, 'match') ?? '');
      if (!match.startsWith('/domain')) throw new LintRuleError(`${file}: match patterns start at /domain`);
      if (only.namespaceUri === LINT_NS && only.name === 'finding' && !join) {
        const message = attr(only, 'message') ?? '';
        // A message with no {expression} is text: nothing to evaluate per finding.
        if (!/[{}]/.test(message)) return { kind: 'finding', match, message, literal: true };
        return { kind: 'finding', match, message: toXPath1(avtToXPath(message)) };
      }
      if (only.namespaceUri === LINT_NS && only.name === 'fact' && join) {
        const optional = (name: string) => { const v = attr(only, name); return v === null ? null : toXPath1(avtToXPath(v)); };
        const scope = attr(only, 'scope');
        if (scope !== null && scope !== 'host' && scope !== 'fleet') throw new LintRuleError(`${file}: a fact's scope is host or fleet`);
        return {
          kind: 'fact', match, key: toXPath1(avtToXPath(attr(only, 'key') ?? '')), shown: optional('shown'), exempt: optional('exempt'),
          scope, storage: optional('storage'),
        };
      }
      throw new LintRuleError(`${file}: a ${join ? 'joined rule emits <lint:fact>' : 'rule emits <lint:finding>'}`);
    });
    return {
      id,
      severity,
      summary: attr(ruleEl, 'summary') ?? '',
      join,
      joinMessage: attr(ruleEl, 'message'),
      enabledByDefault: attr(ruleEl, 'enabled') !== 'no',
      needs: attr(ruleEl, 'needs') as LintRule['needs'],
      check: attr(ruleEl, 'check') as LintRule['check'],
      templates,
    };
  } finally {
    doc.dispose();
  }
}

let rules: LintRule[] | null = null;

/** Every rule, in id order. Read once per thread (a few milliseconds). */
export function lintRules(): LintRule[] {
  rules ??= readdirSync(LINT_DIR).filter((f) => f.endsWith('.xsl')).sort().map(readModule);
  return rules;
}

/**
 * One stylesheet running every template rule as XSLT: for each rule, a <lint:rule id> of the
 * findings and facts its templates make for the document. The tests compare this with the
 * fast path; base URI: stylesheets/ (src/core/engines/saxon.ts).
 */
export function referenceStylesheet(): string {
  const ids = lintRules().filter((r) => r.templates.length).map((r) => r.id);
  return [
    '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:lint="urn:domfleet:lint" exclude-result-prefixes="#all">',
    '  <xsl:include href="lib/lint.xsl"/>',
    ...ids.map((id) => `  <xsl:include href="lint/${id}.xsl"/>`),
    '  <xsl:template match="/">',
    '    <lint:results>',
    ...ids.map((id) => `      <lint:rule id="${id}"><xsl:apply-templates select="//*" mode="lint:${id}"/></lint:rule>`),
    '    </lint:results>',
    '  </xsl:template>',
    '</xsl:stylesheet>',
  ].join('\n');
}


export const RULE_DOCS_DIR = join(fileURLToPath(PROJECT_ROOT), 'docs', 'rules');

/** Where a rule is documented: its page in the installed package (docs/rules/<id>.md). */
export function ruleDocUrl(id: string): string {
  return pathToFileURL(join(RULE_DOCS_DIR, `${id}.md`)).href;
}
