// SaxonJS costs ~0.4 s and ~67 MiB to load, so it is loaded only when a command needs XPath 3.1
// or a stylesheet.
import { createRequire } from 'node:module';
import type { XmlDocument } from 'libxml2-wasm';

// saxon-js ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let instance: any;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function saxon(): any {
  instance ??= createRequire(import.meta.url)('saxon-js');
  return instance;
}

/** A SaxonJS document from text that has already been vetted and decoded by libxml2. */
export function saxonDocument(text: string): unknown {
  return saxon().getPlatform().parseXmlFromString(text);
}

/**
 * libxml2 has already decoded the file and substituted internal entities; hand SaxonJS that text
 * without the XML declaration and the DTD, which it cannot read.
 */
export function textForSaxon(doc: XmlDocument): string {
  const text = doc.toString({ noDeclaration: true });
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype < 0) return text;
  const subset = text.indexOf('[', doctype);
  const close = text.indexOf('>', doctype);
  const end = subset >= 0 && subset < close ? text.indexOf(']>', subset) + 2 : close + 1;
  return text.slice(0, doctype) + text.slice(end).replace(/^\n/, '');
}
