// Deciding from a file's raw bytes, without parsing, that a query cannot select anything in it.
// Parsing is most of a fleet query's cost, so every file skipped here is time saved; every rule
// below errs towards parsing.
import { NO_REQUIREMENT, type Requirement } from './query-plan.js';

const AMP_HASH = Buffer.from('&#');
const DOCTYPE = Buffer.from('<!DOCTYPE');

/**
 * Raw bytes show the document's text for the ASCII we look for only in ASCII-compatible files
 * without character references (which can spell any text) and without a DTD (whose entities can
 * insert text and whose attribute defaults can add attributes that are not written).
 */
function bytesShowText(bytes: Buffer): boolean {
  const [a, b] = bytes;
  if (a === 0 || b === 0 || a === 0xfe || a === 0xff) return false;
  return bytes.indexOf(AMP_HASH) < 0 && bytes.indexOf(DOCTYPE) < 0;
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

type Test = (bytes: Buffer) => boolean;

const isXmlSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** An attribute `name` written with exactly `value`: name, optional space, =, optional space, quoted value. */
function attributeTest(name: string, value: string): Test {
  const nameBytes = Buffer.from(name);
  const quoted = [Buffer.from(`'${value}'`), Buffer.from(`"${value}"`)];
  const writtenBefore = (bytes: Buffer, valueAt: number): boolean => {
    let j = valueAt - 1;
    while (j >= 0 && isXmlSpace(bytes[j])) j--;
    if (bytes[j] !== 0x3d) return false;
    j--;
    while (j >= 0 && isXmlSpace(bytes[j])) j--;
    const nameAt = j - nameBytes.length + 1;
    if (nameAt < 1 || bytes.compare(nameBytes, 0, nameBytes.length, nameAt, j + 1) !== 0) return false;
    const before = bytes[nameAt - 1];
    return isXmlSpace(before) || before === 0x3a;
  };
  return (bytes) => quoted.some((needle) => {
    for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) {
      if (writtenBefore(bytes, at)) return true;
    }
    return false;
  });
}

const ROOT_OPEN = Buffer.from('<domain');
const SPLITTERS = ['<!--', '<![CDATA[', '<?'].map((s) => Buffer.from(s));

/**
 * Whether a comment, CDATA section or processing instruction inside the document could split a
 * text node's value across the bytes (`br<!-- -->idge` reads as "bridge"). libvirt's own
 * header comment comes before the root and splits nothing.
 */
function textMayBeSplit(bytes: Buffer): boolean {
  const root = Math.max(0, bytes.indexOf(ROOT_OPEN));
  return SPLITTERS.some((s) => bytes.indexOf(s, root) >= 0);
}

function compile(requirement: Requirement): Test {
  if ('text' in requirement) {
    const needle = Buffer.from(requirement.text);
    return (bytes) => bytes.indexOf(needle) >= 0;
  }
  if ('content' in requirement) {
    const needle = Buffer.from(requirement.content);
    return (bytes) => bytes.indexOf(needle) >= 0 || textMayBeSplit(bytes);
  }
  if ('attribute' in requirement) return attributeTest(requirement.attribute, requirement.value);
  // Plain texts first: one indexOf each, and most often what rules a file out.
  const cost = (r: Requirement) => ('text' in r || 'content' in r ? 0 : 'attribute' in r ? 1 : 2);
  const parts = ('all' in requirement ? requirement.all : requirement.any).slice().sort((a, b) => cost(a) - cost(b)).map(compile);
  return 'all' in requirement
    ? (bytes) => parts.every((test) => test(bytes))
    : (bytes) => parts.some((test) => test(bytes));
}

/**
 * A function telling whether a file certainly cannot meet the requirement (so need not be
 * parsed), or null when every file must be parsed.
 */
export function skipTest(requirement: Requirement): ((bytes: Buffer) => boolean) | null {
  if (requirement === NO_REQUIREMENT || ('all' in requirement && requirement.all.length === 0)) return null;
  const meets = compile(requirement);
  // Cheapest decision first: most files of a fleet query are parsed, and for them `meets` is the
  // only scan.
  return (bytes) => !meets(bytes) && bytesShowText(bytes) && looksWhole(bytes);
}
