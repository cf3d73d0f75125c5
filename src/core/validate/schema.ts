// libvirt's RELAX NG schema for domains, compiled once per thread with libxml2 (the validator
// virt-xml-validate runs), and its verdicts as problems a person can act on: where (line, path)
// and what, in plain words, next to the validator's own message.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RelaxNGValidator, XmlBufferInputProvider, XmlDocument, XmlElement, XmlValidateError, xmlRegisterInputProvider, type ErrorDetail } from 'libxml2-wasm';
import { UsageError } from '../errors.js';

/** Where Debian's libvirt0 (and most distributions' libvirt packages) install the schemas. */
export const DEFAULT_SCHEMA_DIR = '/usr/share/libvirt/schemas';

/** The schema folder to use; UsageError saying how to get one when it has no domain.rng. */
export function schemaDir(option?: string): string {
  const dir = resolve(option ?? DEFAULT_SCHEMA_DIR);
  if (!existsSync(join(dir, 'domain.rng'))) {
    throw new UsageError(option
      ? `--schema-dir ${option}: no domain.rng there (a libvirt schema folder holds domain.rng, domaincommon.rng …)`
      : `libvirt's schemas are not installed (${DEFAULT_SCHEMA_DIR}/domain.rng is missing): install them (Debian/Ubuntu: apt-get install libvirt0; Fedora: dnf install libvirt-libs) or pass --schema-dir DIR`);
  }
  return dir;
}

/** Which schema said so: the folder, and the installed libvirt0's version when it is the system one. */
export function schemaLabel(dir: string): string {
  if (dir === DEFAULT_SCHEMA_DIR) {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'libvirt0'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim()) return `libvirt ${r.stdout.trim()} (${dir})`;
  }
  return dir;
}

export interface SchemaProblem {
  line: number | null;
  /** The element the problem is at, as an XPath (/domain/devices/disk[2]/target). */
  path: string | null;
  /** What is wrong, in plain words. */
  message: string;
  /** The validator's own message. */
  detail: string;
}

const registered = new Set<string>();

/** Serves the folder's .rng files (and nothing else) to libxml2, which resolves the includes. */
function provide(dir: string): void {
  if (registered.has(dir)) return;
  const buffers: Record<string, Uint8Array> = {};
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.rng'))) buffers[join(dir, f)] = readFileSync(join(dir, f));
  xmlRegisterInputProvider(new XmlBufferInputProvider(buffers));
  registered.add(dir);
}

const validators = new Map<string, RelaxNGValidator>();

/** The compiled domain schema of a folder, once per thread (~100 ms). */
function validator(dir: string): RelaxNGValidator {
  let v = validators.get(dir);
  if (!v) {
    provide(dir);
    const file = join(dir, 'domain.rng');
    const rng = XmlDocument.fromBuffer(readFileSync(file), { url: file });
    try {
      v = RelaxNGValidator.fromDoc(rng);
    } finally {
      rng.dispose();
    }
    validators.set(dir, v);
  }
  return v;
}

function check(doc: XmlDocument, dir: string): ErrorDetail[] {
  try {
    validator(dir).validate(doc);
    return [];
  } catch (e) {
    if (!(e instanceof XmlValidateError)) throw e;
    return e.details ?? [];
  }
}

/**
 * The document's problems against the schema of `dir`; [] when it is valid. Given the bytes it
 * was parsed from (and a parser for them), a problem libxml2 places on a whole element ("Extra
 * element devices in interleave") is narrowed down to the child or attribute at fault.
 */
export function schemaProblems(doc: XmlDocument, dir: string, reparse?: () => XmlDocument): SchemaProblem[] {
  const problems = problemsOf(check(doc, dir));
  if (reparse) {
    for (const p of problems) {
      if (!p.path || !/^(Extra element|Element \S+ failed to validate attributes)/.test(p.detail)) continue;
      const found = culprit(p, dir, reparse);
      if (found) Object.assign(p, found);
    }
  }
  return problems;
}

/** A bound on validations per problem: children are searched by halves, so real definitions need far fewer. */
const MAX_TRIES = 200;

/**
 * Which child or attribute of the element a problem is placed on is at fault: the one whose
 * removal makes that problem go away (children searched by halves), narrowed down into the
 * child as far as it goes.
 */
function culprit(problem: SchemaProblem, dir: string, reparse: () => XmlDocument): Pick<SchemaProblem, 'message' | 'line' | 'path'> | null {
  let tries = 0;
  const fixedWithout = (...xpaths: string[]): boolean => {
    if (++tries > MAX_TRIES) return false;
    const doc = reparse();
    try {
      const nodes = xpaths.map((x) => doc.get(x));
      if (nodes.some((n) => !n)) return false;
      for (const node of nodes) node!.remove();
      return !problemsOf(check(doc, dir)).some((q) => q.detail === problem.detail && q.path === problem.path);
    } finally {
      doc.dispose();
    }
  };
  /** The one child whose removal makes the problem go, by halves (a parent may have hundreds). */
  const faultyChild = (paths: string[]): number => {
    if (paths.length === 0 || !fixedWithout(...paths)) return -1;
    let lo = 0;
    let hi = paths.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fixedWithout(...paths.slice(lo, mid))) hi = mid;
      else lo = mid;
    }
    return paths.length === 1 || fixedWithout(paths[lo]) ? lo : -1;
  };
  const shape = (xpath: string) => {
    const doc = reparse();
    try {
      const element = doc.get(xpath);
      // Attributes in a namespace are left out: naming them in an XPath needs their prefix bound.
      const attrs = element instanceof XmlElement ? element.attrs.filter((a) => !a.prefix).map((a) => ({ name: a.name, value: a.value })) : [];
      const children = doc.find(`${xpath}/*`).filter((c): c is XmlElement => c instanceof XmlElement && !c.prefix).map((c) => c.name);
      const line = element instanceof XmlElement && element.line > 0 ? element.line : null;
      return { attrs, children, line };
    } finally {
      doc.dispose();
    }
  };
  /** The XPath of the k-th child element, by name and position among its namesakes. */
  const childPath = (at: string, children: string[], k: number) =>
    `${at}/${children[k]}[${children.slice(0, k + 1).filter((c) => c === children[k]).length}]`;
  const name = (xpath: string) => xpath.slice(xpath.lastIndexOf('/') + 1).replace(/\[\d+\]$/, '');
  const written = (xpath: string, attrs: { name: string; value: string }[]) =>
    `<${name(xpath)}${attrs.map((a) => ` ${a.name}='${a.value}'`).join('')}>`;
  let at = problem.path!;
  let found: Pick<SchemaProblem, 'message' | 'line' | 'path'> | null = null;
  for (let depth = 0; depth < 8; depth++) {
    const { attrs, children, line } = shape(at);
    const attribute = attrs.find((a) => fixedWithout(`${at}/@${a.name}`));
    if (attribute) return { line, path: at, message: `attribute ${attribute.name}='${attribute.value}' of <${name(at)}> is not allowed there, or not with that value` };
    const k = faultyChild(children.map((_, i) => childPath(at, children, i)));
    if (k < 0) {
      // No one attribute or child alone: the element as written (a required attribute missing
      // beside one that is not allowed, say).
      if (found === null && fixedWithout(at)) {
        return { line, path: at, message: `${written(at, attrs)} is not valid as written: no single attribute or child of it is at fault alone (one it needs may be missing, or one it has not allowed there)` };
      }
      break;
    }
    at = childPath(at, children, k);
    found = { line: shape(at).line, path: at, message: `<${children[k]}> is not allowed there as written` };
  }
  return found;
}

/**
 * One problem per validator message. libxml2 gives some messages without a place (an element
 * failing inside an interleave): they take the place of the message that follows, which names
 * the element.
 */
function problemsOf(details: ErrorDetail[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  details.forEach((d, i) => {
    const detail = d.message.trim();
    const placed = d.line ? d : details.slice(i + 1).find((n) => n.line) ?? d;
    const path = (placed as { xpath?: string }).xpath ?? null;
    out.push({ line: placed.line || null, path, message: plain(detail, path), detail });
  });
  return out;
}

/** The validator's message in plain words (libxml2's RELAX NG messages name the wrong thing). */
export function plain(message: string, path: string | null = null): string {
  const here = path ? `<${path.slice(path.lastIndexOf('/') + 1).replace(/\[\d+\]$/, '')}>` : 'an element';
  const rules: [RegExp, (...m: string[]) => string][] = [
    [/^Extra element (\S+) in interleave$/, (e) => `<${e}>, or something inside it, is not allowed where it stands (an unknown child or attribute, or a value the schema does not accept)`],
    [/^Element (\S+) failed to validate content$/, (e) => `<${e}> has content the schema does not allow (see the line before)`],
    [/^Element (\S+) failed to validate attributes$/, (e) => `<${e}> has an attribute the schema does not allow here, or a value it does not accept`],
    [/^Invalid attribute (\S+) for element (\S+)$/, (a, e) => `attribute ${a} is not allowed on <${e}>`],
    [/^Element (\S+) has extra content: (\S+)$/, (e, c) => `<${e}> has content it may not have: ${c}`],
    [/^Expecting element (\S+), got (\S+)$/, (want, got) => `<${got}> stands where the schema expects <${want}>`],
    [/^Expecting an element (\S+), got nothing$/, (want) => `<${want}> is missing`],
    [/^Did not expect element (\S+) there$/, (e) => `<${e}> is not allowed here`],
    [/^Did not expect text in element (\S+) content$/, (e) => `<${e}> may not contain text`],
    [/^Error validating value ?(\S*)$/, () => `${here} holds a value the schema does not accept (its text, or one of its attributes)`],
    [/^Type (\S+) doesn't allow value '(.*)'$/, (t, v) => `'${v}' is not a valid ${t}`],
    [/^Expecting element (\S+) to be (.*)$/, (e, rest) => `<${e}> should be ${rest}`],
  ];
  for (const [pattern, say] of rules) {
    const m = pattern.exec(message);
    if (m) return say(...m.slice(1));
  }
  return message;
}
