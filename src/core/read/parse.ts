// Reading one domain XML file safely: every kind of bad input becomes an InputError with a line
// number, external entities are never loaded and entity bombs are refused by libxml2's limits.
import { ParseOption, XmlDocument, XmlParseError } from 'libxml2-wasm';

export { InputError, NotADomainError } from '../errors.js';
export { readBytes, readBytesTransient } from './read-file.js';
import { InputError, NotADomainError } from '../errors.js';

// NOENT substitutes internal entities so every engine sees the same text; NO_XXE and NONET
// keep external entities and DTDs unloaded (libxml2 then leaves such references empty).
// COMPACT stores short text inside its node: ~6 % faster parses, same tree.
const PARSE_OPTIONS = ParseOption.XML_PARSE_NOENT | ParseOption.XML_PARSE_NONET |
  ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NOWARNING | ParseOption.XML_PARSE_BIG_LINES |
  ParseOption.XML_PARSE_COMPACT;

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** UTF-16/32 text has NUL bytes by nature; anything else with a NUL is binary. */
function looksLikeWideEncoding(bytes: Uint8Array): boolean {
  const [a, b] = bytes;
  return (a === 0xfe && b === 0xff) || (a === 0xff && b === 0xfe) || (a === 0 && b === 0x3c) ||
    (a === 0x3c && b === 0) || (a === 0 && b === 0 && bytes[2] === 0xfe) || (a === 0 && b === 0 && bytes[2] === 0);
}

export function vetBytes(path: string, bytes: Uint8Array): void {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (i === bytes.length) throw new InputError(path, bytes.length ? lineAt(bytes, bytes.length) : 1, 'empty file');
  if (!looksLikeWideEncoding(bytes)) {
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw new InputError(path, lineAt(bytes, nul), `binary data (NUL byte at offset ${nul}), not XML`);
  }
}

/**
 * Parses and checks that the root is <domain>. The caller owns the document and must dispose it.
 * Throws InputError (malformed, empty, binary, bad encoding) or NotADomainError.
 */
export function parseDomain(path: string, bytes: Uint8Array): XmlDocument {
  vetBytes(path, bytes);
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS });
  } catch (e) {
    if (e instanceof XmlParseError) {
      const detail = e.details?.[0];
      const message = (detail?.message ?? e.message).trim().replace(/\s+/g, ' ');
      throw new InputError(path, detail?.line || 1, describeParseError(message));
    }
    throw e;
  }
  const root = doc.root;
  if (root.name !== 'domain' || root.namespaceUri !== '') {
    const name = root.prefix ? `${root.prefix}:${root.name}` : root.name;
    doc.dispose();
    throw new NotADomainError(path, name);
  }
  return doc;
}

function describeParseError(message: string): string {
  if (/amplification|entity.*loop|Detected an entity reference loop|exceeds? maximum/i.test(message)) {
    return `entity expansion refused (possible "billion laughs" attack): ${message}`;
  }
  if (/Premature end of data|EndTag|Extra content|not proper|expected/i.test(message) && /end of data/i.test(message)) {
    return `truncated or malformed XML: ${message}`;
  }
  if (/encoding|Invalid bytes|not proper UTF/i.test(message)) return `wrong or undeclared encoding: ${message}`;
  return `malformed XML: ${message}`;
}
