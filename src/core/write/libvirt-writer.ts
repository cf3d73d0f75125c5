// libvirt's exact bytes (reference §1–3), written straight from the result tree of the rules:
// the layout — child and attribute order, sorting within a kind, which empty elements stay open —
// comes from stylesheets/normalize/layout.json, as libvirt's formatter (not its parser) fixes the
// order; then no XML declaration, two-space indentation, single quotes, the five characters
// < > & ' " escaped in text and attributes alike, text-only elements on one line, a final newline.
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../version.js';

/** The part of a DOM node the writer reads: SaxonJS's result trees have it. */
export interface TreeNode {
  nodeType: number;
  nodeName: string;
  localName?: string | null;
  namespaceURI?: string | null;
  nodeValue?: string | null;
  data?: string;
  attributes?: ArrayLike<TreeAttribute>;
  firstChild: TreeNode | null;
  nextSibling: TreeNode | null;
}

export interface TreeAttribute {
  name: string;
  localName?: string | null;
  value: string;
  namespaceURI?: string | null;
  prefix?: string | null;
}

interface OpenRule { element: string }
interface SortRule {
  /** Kept in groups by this value (`@name` or `child/@name`), in order of first appearance. */
  groupBy?: string;
  /** The value sorted by. */
  key: string;
  /** How: as a number, as text, by the disk index a target name encodes, or by a fixed list. */
  as: 'number' | 'text' | 'disk-target' | string[];
}

export interface Layout {
  children: Record<string, string[]>;
  attributes: Record<string, string[]>;
  open: OpenRule[];
  sortWithinKind: Record<string, SortRule>;
  blankText: OpenRule[];
}

export const LAYOUT_FILE = new URL('stylesheets/normalize/layout.json', PROJECT_ROOT);

interface Tables {
  children: Map<string, Map<string, number>>;
  attributes: Map<string, Map<string, number>>;
  open: Set<string>;
  blankText: Set<string>;
  /** Parent name → kind → rule. */
  sort: Map<string, Map<string, SortRule>>;
}

let tables: Tables | null = null;

function rankMap(names: string[]): Map<string, number> {
  const map = new Map<string, number>();
  names.forEach((n, i) => { if (!map.has(n)) map.set(n, i); });
  return map;
}

/** The layout, as name → position maps (read once per thread). */
export function layout(): Tables {
  if (!tables) {
    const data = JSON.parse(readFileSync(LAYOUT_FILE, 'utf8')) as Layout;
    const sort = new Map<string, Map<string, SortRule>>();
    for (const [key, rule] of Object.entries(data.sortWithinKind)) {
      const [parent, kind] = key.split('/');
      sort.set(parent, (sort.get(parent) ?? new Map()).set(kind, rule));
    }
    tables = {
      children: new Map(Object.entries(data.children).map(([k, v]) => [k, rankMap(v)])),
      attributes: new Map(Object.entries(data.attributes).map(([k, v]) => [k, rankMap(v)])),
      open: new Set(data.open.map((r) => r.element)),
      blankText: new Set(data.blankText.map((r) => r.element)),
      sort,
    };
  }
  return tables;
}

/** Where an element stands: its name, its parent's and grandparent's, and its type attribute. */
interface Place { name: string; parent: string; grand: string; type?: string }

/** The most specific entry for an element: a longer path first, a [@type=…] key before the plain one. */
function lookup<T>(table: Map<string, T> | Set<string>, place: Place): T | boolean | undefined {
  const { name, parent, grand, type } = place;
  const keys = [`${grand}/${parent}/${name}`, `${parent}/${name}`, `${parent}/*`, name];
  for (const key of keys) {
    for (const k of type === undefined ? [key] : [`${key}[@type=${type}]`, key]) {
      if (table instanceof Set) { if (table.has(k)) return true; }
      else if (table.has(k)) return table.get(k);
    }
  }
  return undefined;
}

/** virBufferEscapeString, plus dropping the C0 controls libvirt drops. */
function escape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>'"\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === "'" ? '&apos;' : c === '"' ? '&quot;' : '');
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;
const PI = 7;
const COMMENT = 8;
const XMLNS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

const nameOf = (n: TreeNode) => n.localName ?? n.nodeName;
const textOf = (n: TreeNode) => n.nodeValue ?? n.data ?? '';
const isText = (n: TreeNode) => n.nodeType === TEXT || n.nodeType === CDATA;
const inNoNamespace = (n: TreeNode) => !n.namespaceURI;

function childNodes(n: TreeNode): TreeNode[] {
  const out: TreeNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function attributesOf(e: TreeNode): TreeAttribute[] {
  const list = e.attributes;
  if (!list) return [];
  const out: TreeAttribute[] = [];
  for (let i = 0; i < list.length; i++) out.push(list[i]);
  return out;
}

function attributeValue(e: TreeNode, name: string): string | undefined {
  return attributesOf(e).find((a) => a.name === name && !a.namespaceURI)?.value;
}

function childElement(e: TreeNode, name: string): TreeNode | undefined {
  for (let c = e.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT && nameOf(c) === name && inNoNamespace(c)) return c;
  return undefined;
}

/** A value a sort rule reads: `@name` of the element, or `child/@name`. */
function valueAt(e: TreeNode, path: string): string {
  const [step, attribute] = path.includes('/') ? path.split('/') : [null, path];
  const owner = step ? childElement(e, step) : e;
  return (owner && attributeValue(owner, attribute.replace(/^@/, ''))) ?? '';
}

/** libvirt orders disk targets by the index their suffix encodes (vda < vdz < vdaa). */
function diskTargetKey(dev: string): string {
  const suffix = dev.replace(/^(hd|sd|vd|xvd|ubd|fd|nvme\d+n)/, '');
  return /^[a-z]+$/.test(suffix) ? `${String(suffix.length).padStart(2, '0')}${suffix}` : dev;
}

function sortKey(e: TreeNode, rule: SortRule): number | string {
  const value = valueAt(e, rule.key);
  if (rule.as === 'number') return /^[0-9]+$/.test(value) ? Number(value) : 0;
  if (rule.as === 'disk-target') return diskTargetKey(value);
  if (Array.isArray(rule.as)) { const at = rule.as.indexOf(value); return at < 0 ? rule.as.length : at; }
  return value;
}

function sortKind(group: TreeNode[], rule: SortRule): TreeNode[] {
  // Kinds stay together in order of first appearance; within one, a stable sort.
  const groups = new Map<string, TreeNode[]>();
  for (const e of group) {
    const value = rule.groupBy ? valueAt(e, rule.groupBy) : '';
    groups.set(value, [...(groups.get(value) ?? []), e]);
  }
  return [...groups.values()].flatMap((list) => list
    .map((e, i) => ({ e, i, k: sortKey(e, rule) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i - b.i))
    .map((x) => x.e));
}

/**
 * The children in libvirt's order: listed names by the table (each kind sorted when the layout
 * says so), then unlisted ones, then elements of other namespaces, each with the comments and
 * processing instructions written just before it; comments after the last element stay last.
 */
function orderedChildren(e: TreeNode, place: Place, nodes: TreeNode[]): TreeNode[] {
  const table = inNoNamespace(e) ? lookup(layout().children, place) as Map<string, number> | undefined : undefined;
  const items: { element: TreeNode; before: TreeNode[] }[] = [];
  let pending: TreeNode[] = [];
  for (const n of nodes) {
    if (n.nodeType === ELEMENT) {
      items.push({ element: n, before: pending });
      pending = [];
    } else if (n.nodeType === COMMENT || n.nodeType === PI) pending.push(n);
  }
  if (table) {
    // An entry `name[@attr]` places the children of that name that have the attribute (two
    // <driver>s of a hostdev NIC sit apart); plain `name` places the rest.
    const rank = (n: TreeNode) => {
      if (!inNoNamespace(n)) return 2e6;
      for (const a of attributesOf(n)) {
        const at = table.get(`${nameOf(n)}[@${a.name}]`);
        if (at !== undefined) return at;
      }
      return table.get(nameOf(n)) ?? 1e6;
    };
    const ranked = items.map((item, i) => ({ item, i, r: rank(item.element) }));
    ranked.sort((a, b) => a.r - b.r || a.i - b.i);
    items.splice(0, items.length, ...ranked.map((x) => x.item));
  }
  for (const [kind, rule] of (inNoNamespace(e) && layout().sort.get(place.name)) || []) {
    // After ranking (or without a table) elements of one kind stand together.
    const group = items.filter((it) => nameOf(it.element) === kind && inNoNamespace(it.element));
    if (group.length < 2) continue;
    const sorted = sortKind(group.map((g) => g.element), rule);
    const byElement = new Map(group.map((g) => [g.element, g]));
    const start = items.indexOf(group[0]);
    const contiguous = items.slice(start, start + group.length).every((it, i) => it === group[i]);
    if (contiguous) items.splice(start, group.length, ...sorted.map((x) => byElement.get(x)!));
  }
  return [...items.flatMap((it) => [...it.before, it.element]), ...pending];
}

function placeOf(e: TreeNode, parent: string, grand: string): Place {
  return { name: nameOf(e), parent, grand, type: attributeValue(e, 'type') };
}

function orderedAttributes(e: TreeNode, place: Place): TreeAttribute[] {
  const all = attributesOf(e).filter((a) => a.namespaceURI !== XMLNS && !a.name.startsWith('xmlns'));
  const table = all.length > 1 && inNoNamespace(e) ? lookup(layout().attributes, place) as Map<string, number> | undefined : undefined;
  if (!table) return all;
  return all.map((a, i) => ({ a, i, r: a.namespaceURI ? 2e6 : table.get(a.localName ?? a.name) ?? 1e6 }))
    .sort((x, y) => x.r - y.r || x.i - y.i)
    .map((x) => x.a);
}

/** Namespace declarations the element makes that are not already in scope. */
function declarations(e: TreeNode, scope: Map<string, string>): [string, string][] {
  const out: [string, string][] = [];
  for (const a of attributesOf(e)) {
    if (a.namespaceURI !== XMLNS && !a.name.startsWith('xmlns')) continue;
    const prefix = a.name === 'xmlns' ? '' : a.name.slice(6);
    if (a.value === XML_NS || scope.get(prefix) === a.value) continue;
    out.push([prefix, a.value]);
  }
  // An element or attribute prefix used without a declaration on the way (SaxonJS may leave the
  // fix-up to its serializer): declare it here.
  const used: [string, string][] = [];
  const prefixOf = (qname: string) => (qname.includes(':') ? qname.slice(0, qname.indexOf(':')) : '');
  if (e.namespaceURI) used.push([prefixOf(e.nodeName), e.namespaceURI]);
  for (const a of attributesOf(e)) if (a.namespaceURI && a.namespaceURI !== XMLNS && a.namespaceURI !== XML_NS) used.push([prefixOf(a.name), a.namespaceURI]);
  for (const [prefix, uri] of used) {
    if (scope.get(prefix) !== uri && !out.some(([p]) => p === prefix)) out.push([prefix, uri]);
  }
  return out;
}

function isOpen(e: TreeNode, place: Place): boolean {
  return inNoNamespace(e) && lookup(layout().open, place) === true;
}

export interface WriteOptions {
  /** libvirt's own text of <domain><metadata>, written in its place (see normalize/metadata.ts). */
  metadata?: string | null;
}

class Writer {
  readonly out: string[] = [];
  constructor(private readonly options: WriteOptions) {}

  element(e: TreeNode, parent: string, grand: string, indent: string, scope: Map<string, string>): void {
    const name = nameOf(e);
    if (this.options.metadata != null && parent === 'domain' && grand === '' && name === 'metadata' && inNoNamespace(e)) {
      this.out.push(indent + this.options.metadata);
      return;
    }
    const place = placeOf(e, parent, grand);
    const declared = declarations(e, scope);
    const inner = declared.length ? new Map([...scope, ...declared]) : scope;
    // Namespace declarations go after the attributes, as libvirt writes them on <domain>.
    const attrs = [
      ...orderedAttributes(e, place).map((a) => ` ${a.name}='${escape(a.value)}'`),
      ...declared.map(([p, u]) => ` ${p ? `xmlns:${p}` : 'xmlns'}='${escape(u)}'`),
    ].join('');
    const start = `${indent}<${e.nodeName}${attrs}`;
    const nodes = childNodes(e);
    // Blank text is layout, except in the few elements whose text libvirt keeps as it was read.
    const keepsBlanks = inNoNamespace(e) && nodes.every(isText) && lookup(layout().blankText, place) === true;
    const hasText = nodes.some((c) => isText(c) && (keepsBlanks || textOf(c).trim() !== ''));
    const content = hasText ? nodes : nodes.filter((c) => !isText(c));
    if (content.length === 0) {
      this.out.push(isOpen(e, place) ? `${start}>\n${indent}</${e.nodeName}>` : `${start}/>`);
    } else if (content.every(isText)) {
      this.out.push(`${start}>${escape(content.map(textOf).join(''))}</${e.nodeName}>`);
    } else if (hasText) {
      // Mixed content is written as it stands, without indentation inside.
      this.out.push(`${start}>${content.map((c) => this.inline(c, name, parent, inner)).join('')}</${e.nodeName}>`);
    } else {
      this.out.push(`${start}>`);
      const deeper = indent + '  ';
      for (const c of orderedChildren(e, place, content)) {
        if (c.nodeType === ELEMENT) this.element(c, name, parent, deeper, inner);
        else this.out.push(deeper + this.inline(c, name, parent, inner));
      }
      this.out.push(`${indent}</${e.nodeName}>`);
    }
  }

  inline(n: TreeNode, parent: string, grand: string, scope: Map<string, string>): string {
    if (isText(n)) return escape(textOf(n));
    if (n.nodeType === COMMENT) return `<!--${textOf(n)}-->`;
    if (n.nodeType === PI) return `<?${n.nodeName}${textOf(n) ? ' ' + textOf(n) : ''}?>`;
    const nested = new Writer(this.options);
    nested.element(n, parent, grand, '', scope);
    return nested.out.join('');
  }
}

/** libvirt's text for a document (or its root element) from the rules' result tree. */
export function writeLibvirt(root: TreeNode, options: WriteOptions = {}): string {
  const writer = new Writer(options);
  const top = root.nodeType === ELEMENT ? [root] : childNodes(root);
  for (const node of top) {
    if (node.nodeType === ELEMENT) writer.element(node, '', '', '', new Map([['xml', XML_NS]]));
    else if (node.nodeType === COMMENT || node.nodeType === PI) writer.out.push(writer.inline(node, '', '', new Map()));
  }
  return writer.out.join('\n') + '\n';
}
