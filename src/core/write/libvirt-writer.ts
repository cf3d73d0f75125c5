// libvirt's exact bytes (reference §3) from the stylesheet's result: no XML declaration,
// two-space indentation, attributes in the order the stylesheet put them, single quotes, the
// five characters < > & ' " escaped in text and attributes alike, text-only elements on one line,
// a final newline. Measured: building this text in XSLT cost ~13 ms per file under SaxonJS; here
// it is a scan of the already well-formed string SaxonJS serializes, well under 1 ms.

interface Element {
  name: string;
  attrs: [string, string][];
  children: Node[];
}
type Node = Element | { text: string } | { raw: string };

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITY[e] ?? m);
}

/** virBufferEscapeString, plus dropping the C0 controls libvirt drops. */
function escape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[&<>'"\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === "'" ? '&apos;' : c === '"' ? '&quot;' : '');
}

const ATTR = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parses XML that SaxonJS itself serialized (well-formed, no DTD) into a small tree. */
function parse(xml: string): Node[] {
  const root: Element = { name: '', attrs: [], children: [] };
  const stack: Element[] = [root];
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const top = stack[stack.length - 1];
    if (lt < 0 || lt > i) {
      const end = lt < 0 ? xml.length : lt;
      top.children.push({ text: decode(xml.slice(i, end)) });
      i = end;
      continue;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i) + 3;
      top.children.push({ raw: xml.slice(i, end) });
      i = end;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      top.children.push({ text: xml.slice(i + 9, end) });
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i) + 2;
      if (!xml.startsWith('<?xml ', i)) top.children.push({ raw: xml.slice(i, end) });
      i = end;
    } else if (xml[i + 1] === '/') {
      stack.pop();
      i = xml.indexOf('>', i) + 1;
    } else {
      const end = tagEnd(xml, i);
      const selfClosing = xml[end - 1] === '/';
      const body = xml.slice(i + 1, selfClosing ? end - 1 : end);
      const nameEnd = body.search(/[\s/]|$/);
      const element: Element = { name: body.slice(0, nameEnd), attrs: [], children: [] };
      for (const m of body.slice(nameEnd).matchAll(ATTR)) element.attrs.push([m[1], decode(m[2] ?? m[3])]);
      top.children.push(element);
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  return root.children;
}

/** Index of the '>' closing the tag at i (quotes may hold '>'). */
function tagEnd(xml: string, i: number): number {
  let quote = '';
  for (let k = i + 1; k < xml.length; k++) {
    const c = xml[k];
    if (quote) { if (c === quote) quote = ''; } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return k;
  }
  return xml.length;
}

const isElement = (n: Node): n is Element => 'name' in n;

// Elements libvirt writes with an opening and a closing tag even when empty.
function alwaysOpen(e: Element): boolean {
  return e.name === 'devices' || e.name === 'redirdev' || (e.name === 'graphics' && e.attrs.some(([k, v]) => k === 'type' && v === 'vnc'));
}

function write(e: Element, indent: string, out: string[]): void {
  // Namespace declarations go after the attributes, as libvirt writes them on <domain>.
  const attrs = [...e.attrs.filter(([k]) => !k.startsWith('xmlns')), ...e.attrs.filter(([k]) => k.startsWith('xmlns'))];
  const start = `${indent}<${e.name}${attrs.map(([k, v]) => ` ${k}='${escape(v)}'`).join('')}`;
  const hasText = e.children.some((c) => 'text' in c && c.text.trim() !== '');
  const content = hasText ? e.children : e.children.filter((c) => !('text' in c));
  if (content.length === 0) {
    out.push(alwaysOpen(e) ? `${start}>\n${indent}</${e.name}>` : `${start}/>`);
  } else if (content.every((c) => 'text' in c)) {
    out.push(`${start}>${escape(content.map((c) => (c as { text: string }).text).join(''))}</${e.name}>`);
  } else if (hasText) {
    // Mixed content is written as it stands, without indentation inside.
    out.push(`${start}>${content.map(inline).join('')}</${e.name}>`);
  } else {
    out.push(`${start}>`);
    const inner = indent + '  ';
    for (const c of content) {
      if (isElement(c)) write(c, inner, out);
      else out.push(inner + (c as { raw: string }).raw);
    }
    out.push(`${indent}</${e.name}>`);
  }
}

function inline(n: Node): string {
  if ('text' in n) return escape(n.text);
  if ('raw' in n) return n.raw;
  const out: string[] = [];
  write(n, '', out);
  return out.join('');
}

/** libvirt's text for a document SaxonJS serialized. */
export function libvirtText(serialized: string): string {
  const out: string[] = [];
  for (const node of parse(serialized)) {
    if (isElement(node)) write(node, '', out);
    else if ('raw' in node) out.push(node.raw);
  }
  return out.join('\n') + '\n';
}
