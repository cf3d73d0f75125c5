// Linting one file: read, parse safely, run every enabled rule's templates as libxml2 XPath, and
// return the file's own findings plus the small facts (MACs, UUIDs, names, disk sources) the
// cross-file rules join once the whole fleet has been read. No document outlives its file.
import { XmlAttribute, XmlXPath, type XmlDocument, type XmlNode } from 'libxml2-wasm';
import { outcomeOf, type FileOutcome } from '../fleet/outcome.js';
import type { InventoryEntry } from '../read/inventory.js';
import { parseDomain } from '../read/parse.js';
import { inspectProlog, readBytes } from '../read/read-file.js';
import { xpathStringLiteral } from '../engines/query-plan.js';
import { schemaProblems } from '../validate/schema.js';
import { lintRules, type LintTemplate } from './rules.js';
import { constructs } from '../query/saved-queries.js';

export interface LintJobSpec {
  kind: 'lint';
  /** The ids of the rules to run. */
  rules: string[];
  /** Known bridges, for unknown-bridge. */
  bridges: string[];
  /** The schema folder, already checked, when the schema rule runs. */
  schemaDir?: string;
  maxFileSize?: number;
}

/** A finding about this file alone. */
export interface FileFinding { rule: string; line: number | null; message: string }

/** A fact for a cross-file rule: what identifies the thing (key), how to show it, whether this use is harmless. */
export interface FileFact {
  rule: string; key: string; shown: string | null; exempt: boolean; line: number | null;
  /** Where it is joined, when not where its rule joins; a storage path may widen it to the fleet. */
  scope: 'host' | 'fleet' | null; storage: string | null;
}

export interface FileLint {
  domain: string;
  findings: FileFinding[];
  facts: FileFact[];
}

/**
 * The line of a node. libxml2 keeps lines for elements only: an attribute's `line` reads another
 * field (seen as 1986356271), so an attribute is placed on its element's line.
 */
function lineOf(node: XmlNode): number | null {
  const line = node instanceof XmlAttribute ? node.parent?.line ?? 0 : node.line;
  return line > 0 ? line : null;
}

/** One expression to evaluate per file, with what each node it selects gives. */
type Step = { rule: string; match: string } & (
  | { kind: 'finding'; message: string; literal: boolean }
  | { kind: 'fact'; fields: string; shown: boolean; exempt: boolean; storage: boolean; scope: 'host' | 'fleet' | null });

/** The expressions a template set evaluates: a construct list becomes one step per construct. */
function lintExpressions(template: LintTemplate): Exclude<LintTemplate, { kind: 'constructs' }>[] {
  if (template.kind !== 'constructs') return [template];
  return constructs(template.list).map((c) => ({ kind: 'finding', match: c.xpath, message: c.label, literal: true }));
}

/**
 * Several string expressions as one: each value written after its length (XPath counts
 * characters, as Array.from does), so no value can be mistaken for a separator.
 */
function packed(expressions: string[]): string {
  return `concat(${expressions.map((e) => `string-length(${e}), ':', ${e}`).join(', ')})`;
}

function unpack(text: string, count: number): string[] {
  // Without surrogate pairs a character is a UTF-16 unit, and the string can be sliced as it is.
  const chars: ArrayLike<string> & { slice(a: number, b?: number): string | string[] } = /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : text;
  const join = (part: string | string[]) => (typeof part === 'string' ? part : part.join(''));
  const values: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    let colon = at;
    while (chars[colon] !== ':') colon++;
    const length = Number(join(chars.slice(at, colon)));
    values.push(join(chars.slice(colon + 1, colon + 1 + length)));
    at = colon + 1 + length;
  }
  return values;
}

export function createLintJob(spec: LintJobSpec) {
  const enabled = new Set(spec.rules);
  const rules = lintRules().filter((r) => enabled.has(r.id));
  const bridges = xpathStringLiteral(spec.bridges.join(' '));
  const compiled = new Map<string, XmlXPath>();
  const xp = (expression: string) => {
    let c = compiled.get(expression);
    if (!c) {
      c = XmlXPath.compile(expression.replace(/\$lint:bridges\b/g, bridges));
      compiled.set(expression, c);
    }
    return c;
  };
  const steps: Step[] = rules.flatMap((r) => r.templates.flatMap(lintExpressions).map((e): Step => {
    const where = { rule: r.id, match: e.match };
    if (e.kind === 'finding') return { ...where, kind: 'finding', literal: Boolean(e.literal), message: e.message };
    // A fact's fields in one evaluation: each evaluation costs libxml2 about as much as the next.
    const fields = packed([e.key, e.shown ?? "''", e.exempt ?? "''", e.storage ?? "''"]);
    return { ...where, kind: 'fact', fields, shown: e.shown !== null, exempt: e.exempt !== null, storage: e.storage !== null, scope: e.scope };
  }));
  const schema = rules.some((r) => r.check === 'schema') ? spec.schemaDir : undefined;

  function lintDocument(doc: XmlDocument, reparse: () => XmlDocument): FileLint {
    const text = (node: XmlNode, expression: string) => String(node.eval(xp(expression)));
    const findings: FileFinding[] = [];
    const facts: FileFact[] = [];
    // Every expression on every file. Skipping those a file's bytes cannot match (the query
    // pre-filter's plans) was tried: on the 10k bench fleet it cost as much as it saved.
    for (const step of steps) {
      for (const node of doc.eval(xp(step.match)) as XmlNode[]) {
        if (step.kind === 'finding') {
          findings.push({ rule: step.rule, line: lineOf(node), message: step.literal ? step.message : text(node, step.message) });
        } else {
          const [key, shown, exempt, storage] = unpack(text(node, step.fields), 4);
          facts.push({
            rule: step.rule, key, shown: step.shown ? shown : null, exempt: step.exempt && exempt === 'true', line: lineOf(node),
            scope: step.scope, storage: step.storage ? storage : null,
          });
        }
      }
    }
    if (schema) {
      for (const p of schemaProblems(doc, schema, reparse)) {
        findings.push({ rule: 'schema', line: p.line, message: `${p.path ?? '/domain'}: ${p.message} (${p.detail})` });
      }
    }
    findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { domain: text(doc as unknown as XmlNode, 'string(/domain/name)'), findings, facts };
  }

  return {
    lintDocument,
    run: (entries: InventoryEntry[]): FileOutcome<FileLint>[] => entries.map((entry) => outcomeOf(entry, (warn) => {
      const bytes = readBytes(entry, spec.maxFileSize);
      warn(inspectProlog(bytes).warnings);
      const doc = parseDomain(entry.path, bytes);
      try {
        return lintDocument(doc, () => parseDomain(entry.path, bytes));
      } finally {
        doc.dispose();
      }
    })),
    dispose() {
      for (const c of compiled.values()) c.dispose();
    },
  };
}
