// XPath 3.1 syntax trees, from fontoxpath's parser (a maintained XPath 3.1 / XQuery 3.1 parser
// that returns the W3C XQueryX form of an expression), turned into plain objects.
import { createRequire } from 'node:module';

/** One XQueryX element: its local name, attributes by local name, element children, its text. */
export interface XmlTree {
  name: string;
  attrs: Record<string, string>;
  kids: XmlTree[];
  text: string;
}

interface DomNode {
  nodeType: number;
  localName: string;
  data: string;
  childNodes: DomNode[];
  attributes: { localName: string; value: string }[];
}

export class XPathParseError extends Error {}

// Loaded on first use: fontoxpath costs ~100 ms to load, and most runs use a stored plan instead.
const load = () => {
  const require = createRequire(import.meta.url);
  const fontoxpath = require('fontoxpath') as {
    parseScript(script: string, options: { language: string; debug: boolean }, document: unknown): DomNode;
    evaluateXPath: { XPATH_3_1_LANGUAGE: string };
  };
  const slimdom = require('slimdom') as { Document: new () => unknown };
  return { fontoxpath, slimdom };
};

/** The syntax tree of an XPath 3.1 expression; XPathParseError when it is not XPath 3.1. */
export function parseXPath(expression: string): XmlTree {
  const { fontoxpath, slimdom } = load();
  let root: DomNode;
  try {
    root = fontoxpath.parseScript(expression, { language: fontoxpath.evaluateXPath.XPATH_3_1_LANGUAGE, debug: false }, new slimdom.Document());
  } catch (e) {
    throw new XPathParseError((e as Error).message);
  }
  return convert(root);
}

function convert(node: DomNode): XmlTree {
  const kids: XmlTree[] = [];
  let text = '';
  for (const c of node.childNodes) {
    if (c.nodeType === 1) kids.push(convert(c));
    else if (c.nodeType === 3 || c.nodeType === 4) text += c.data;
  }
  const attrs: Record<string, string> = {};
  for (const a of node.attributes) attrs[a.localName] = a.value;
  return { name: node.localName, attrs, kids, text };
}
