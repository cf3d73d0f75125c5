// SaxonJS costs ~0.2 s and ~67 MiB to load, so it is loaded only when a command needs XPath 3.1
// or a stylesheet, and from V8's code cache when it can be (see code-cache.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../version.js';
import { InputError, StylesheetError } from '../errors.js';
import type { XmlDocument } from 'libxml2-wasm';
import { requireWithCodeCache } from './code-cache.js';

// saxon-js ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let instance: any;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function saxon(): any {
  instance ??= requireWithCodeCache(createRequire(import.meta.url).resolve('saxon-js'));
  return instance;
}

/** What SaxonJS.transform needs to run a compiled stylesheet: the SEF, and where it lives. */
export interface CompiledStylesheet {
  stylesheetInternal: unknown;
  /** Relative URIs in the stylesheet (json-doc(), document()) resolve against it. */
  stylesheetBaseURI: string;
}

/**
 * domfleet's own stylesheets resolve relative URIs against the stylesheets/ folder, whichever
 * module they are written in (a compiled SEF keeps no module's own location): json-doc('lib/units.json').
 */
const STYLESHEETS = new URL('stylesheets/', PROJECT_ROOT);

const compiled = new Map<string, CompiledStylesheet>();

/**
 * A compiled SEF, loaded once per thread: `path` is a file URL, or relative to the project
 * (stylesheets/normalize.sef.json); `base` is where its relative URIs point (a user's stylesheet:
 * its own file). Throws StylesheetError when the SEF is missing or not whole.
 */
export function compiledStylesheet(path: string, base: string = STYLESHEETS.href): CompiledStylesheet {
  const url = new URL(path, PROJECT_ROOT);
  let entry = compiled.get(url.href);
  if (!entry) {
    let sef: { N?: unknown };
    try {
      sef = JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as { N?: unknown };
    } catch {
      throw new StylesheetError(`${fileURLToPath(url)} is missing or damaged: run npm install (it compiles the stylesheets)`);
    }
    entry = { stylesheetInternal: sef, stylesheetBaseURI: base };
    compiled.set(url.href, entry);
  }
  return entry;
}

/** A SaxonJS document from text that has already been vetted and decoded by libxml2. */
export function saxonDocument(text: string): unknown {
  return saxon().getPlatform().parseXmlFromString(text);
}

/**
 * The most elements a document may have for the rules to run on it. SaxonJS holds its input and
 * result trees at ~3 KiB per element: 20,000 is ~60 MiB and well under a second, where libvirt's
 * own largest definitions (thousands of vCPUs, each pinned) have a few thousand. A bigger file is
 * an input error of its own, so one pathological file cannot take a worker's memory (capped, see
 * fleet.ts) and time from the good files beside it.
 */
export const MAX_ELEMENTS = 20_000;

/**
 * libxml2 has already decoded the file and substituted internal entities; hand SaxonJS that text
 * without the XML declaration and the DTD, which it cannot read. InputError when the document is
 * larger than the rules are run on (MAX_ELEMENTS).
 */
export function textForSaxon(doc: XmlDocument, path = '<input>'): string {
  const elements = Number(doc.eval('count(//*)'));
  if (elements > MAX_ELEMENTS) {
    throw new InputError(path, null, `${elements.toLocaleString('en')} elements, more than the ${MAX_ELEMENTS.toLocaleString('en')} domfleet runs its rules and XPath 3.1 on (libvirt's largest definitions have a few thousand)`);
  }
  const text = doc.toString({ noDeclaration: true });
  const doctype = text.indexOf('<!DOCTYPE');
  if (doctype < 0) return text;
  const subset = text.indexOf('[', doctype);
  const close = text.indexOf('>', doctype);
  const end = subset >= 0 && subset < close ? text.indexOf(']>', subset) + 2 : close + 1;
  return text.slice(0, doctype) + text.slice(end).replace(/^\n/, '');
}
