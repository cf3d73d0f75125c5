// Evaluating one query against one file: read, skip by pre-filter when the bytes cannot match,
// parse safely, evaluate, dispose.
import { XmlXPath } from 'libxml2-wasm';
import { compileQuery, type QuerySpec, type ResultItem } from './compiled-query.js';
import { outcomeOf, type FileOutcome } from './fleet.js';
import type { InventoryEntry } from './inventory.js';
import { parseDomain, readBytes } from './parse.js';

export interface QueryJobSpec {
  kind: 'query';
  query: QuerySpec;
  /** Parse every file even when its bytes show it cannot match. */
  noPrefilter?: boolean;
}

export interface FileMatches {
  /** The domain's name; absent when the file was skipped unparsed by the pre-filter. */
  domain?: string;
  items: ResultItem[];
}

const AMP_HASH = Buffer.from('&#');
const ENTITY_DECL = Buffer.from('<!ENTITY');

/** Raw bytes equal the decoded text for the ASCII strings we look for only in plain ASCII-compatible files. */
function canPrefilter(bytes: Buffer): boolean {
  const [a, b] = bytes;
  if (a === 0 || b === 0 || a === 0xfe || a === 0xff) return false;
  return bytes.indexOf(AMP_HASH) < 0 && bytes.indexOf(ENTITY_DECL) < 0;
}

const DOMAIN_OPEN = /^<domain[\s>\/]/;
const DOMAIN_CLOSE = Buffer.from('</domain>');

/**
 * A file skipped unparsed must still look like a whole domain document (root <domain> opened at
 * the start, closed at the very end, no NUL), so that empty, binary, truncated and foreign files
 * always reach the parser and get reported. Damage in the middle of a file that cannot match is
 * the one thing the pre-filter does not report; --no-prefilter parses every file.
 */
function looksWhole(bytes: Buffer): boolean {
  if (bytes.indexOf(0) >= 0) return false;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] <= 0x20) end--;
  if (end < DOMAIN_CLOSE.length || bytes.compare(DOMAIN_CLOSE, 0, DOMAIN_CLOSE.length, end - DOMAIN_CLOSE.length, end) !== 0) return false;
  let at = 0;
  for (;;) {
    at = bytes.indexOf(0x3c, at);
    if (at < 0) return false;
    const next = bytes[at + 1];
    if (next !== 0x3f && next !== 0x21) break;
    at++;
  }
  return DOMAIN_OPEN.test(bytes.toString('latin1', at, at + 8));
}

export function createQueryJob(spec: QueryJobSpec) {
  const query = compileQuery(spec.query);
  const domainName = XmlXPath.compile('string(/domain/name)');
  const needles = (spec.noPrefilter ? [] : query.prefilter).map((s) => Buffer.from(s));
  return {
    run(entry: InventoryEntry): FileOutcome<FileMatches> {
      return outcomeOf(entry, () => {
        const bytes = readBytes(entry.path) as Buffer;
        if (needles.length && canPrefilter(bytes) && needles.some((n) => bytes.indexOf(n) < 0) && looksWhole(bytes)) {
          return { items: [] };
        }
        const doc = parseDomain(entry.path, bytes);
        try {
          return { domain: String(doc.eval(domainName)), items: query.evaluate(doc) };
        } finally {
          doc.dispose();
        }
      });
    },
    dispose: () => { query.dispose(); domainName.dispose(); },
  };
}
