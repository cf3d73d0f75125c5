// SaxonJS costs ~0.4 s and ~67 MiB to load, so it is loaded only when a command needs XPath 3.1
// or a stylesheet.
import { createRequire } from 'node:module';

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
