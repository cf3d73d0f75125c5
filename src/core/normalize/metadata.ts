// <metadata> as libvirt writes it. libvirt keeps this subtree as libxml2 parsed it (blanks
// dropped, namespace declarations exactly as written, plus any it needs from outside declared on
// <metadata> itself by xmlCopyNode) and writes it with xmlNodeDump: double quotes, libxml2's
// escaping. XSLT cannot see which namespace declarations were written where, so this part is
// built from libxml2's own tree.
import { XmlCData, XmlComment, XmlElement, XmlText, type XmlDocument, type XmlTreeNode } from 'libxml2-wasm';

const text = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
const attr = (s: string) => text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

function qname(prefix: string, name: string): string {
  return prefix ? `${prefix}:${name}` : name;
}

function children(e: XmlElement): XmlTreeNode[] {
  const out: XmlTreeNode[] = [];
  for (let c = e.firstChild; c; c = c.next) out.push(c);
  return out;
}

/** Namespaces the subtree uses but does not declare, in order of first use. */
function outsideNamespaces(root: XmlElement): [string, string][] {
  const found = new Map<string, string>();
  const walk = (e: XmlElement, scope: Map<string, string>) => {
    const inner = new Map(scope);
    for (const [p, u] of Object.entries(e.nsDeclarations)) inner.set(p, u);
    const uses: [string, string][] = [[e.prefix, e.namespaceUri]];
    for (const a of e.attrs) if (a.prefix) uses.push([a.prefix, a.namespaceUri]);
    for (const [p, u] of uses) {
      if (!u || inner.get(p) === u) continue;
      if (!found.has(p)) found.set(p, u);
      inner.set(p, u);
    }
    for (const c of children(e)) if (c instanceof XmlElement) walk(c, inner);
  };
  walk(root, new Map());
  return [...found];
}

function element(e: XmlElement, level: number, extra: [string, string][] = []): string {
  const decls = [...Object.entries(e.nsDeclarations), ...extra]
    .map(([p, u]) => ` ${p ? `xmlns:${p}` : 'xmlns'}="${attr(u)}"`).join('');
  const attrs = e.attrs.map((a) => ` ${qname(a.prefix, a.name)}="${attr(a.value)}"`).join('');
  const name = qname(e.prefix, e.name);
  const all = children(e);
  const hasText = all.some((c) => (c instanceof XmlText || c instanceof XmlCData) && c.content.trim() !== '');
  const kids = hasText || all.every((c) => c instanceof XmlText) ? all : all.filter((c) => !(c instanceof XmlText));
  if (kids.length === 0) return `<${name}${decls}${attrs}/>`;
  if (hasText || kids.every((c) => c instanceof XmlText)) {
    return `<${name}${decls}${attrs}>${kids.map((c) => inline(c)).join('')}</${name}>`;
  }
  const pad = '  '.repeat(level + 1);
  return `<${name}${decls}${attrs}>\n${kids.map((c) => pad + node(c, level + 1)).join('\n')}\n${'  '.repeat(level)}</${name}>`;
}

function node(c: XmlTreeNode, level: number): string {
  if (c instanceof XmlElement) return element(c, level);
  return inline(c);
}

function inline(c: XmlTreeNode): string {
  if (c instanceof XmlElement) return element(c, 0).replace(/\n\s*/g, '');
  if (c instanceof XmlComment) return `<!--${c.content}-->`;
  if (c instanceof XmlCData) return `<![CDATA[${c.content}]]>`;
  if (c instanceof XmlText) return text(c.content);
  return '';
}

/** The <metadata> element of the domain, written at indentation level 1, or null if it has none. */
export function libvirtMetadata(doc: XmlDocument): string | null {
  const metadata = doc.get('/domain/metadata[1]');
  if (!(metadata instanceof XmlElement)) return null;
  return element(metadata, 1, outsideNamespaces(metadata));
}
