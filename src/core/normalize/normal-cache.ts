// Files already known to be normal skip the stylesheet: normalize is idempotent (the tests check
// it on every corpus file), so every text it has produced is its own normal form. The hashes of
// those texts are kept per option set and version, and a file whose bytes hash to one of them
// is normal without another transform.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, cacheProblem, contentKey } from '../fleet/cache.js';
import { VERSION } from '../version.js';


function file(options: unknown): string {
  return join(cacheDir(), `normal-${contentKey(options, VERSION)}.txt`);
}

/** A line that is not a whole hash (a write cut short, damage) is ignored. */
const HASH_LINE = /^[A-Za-z0-9_-]{27}$/;

export function loadKnownNormal(options: unknown): Set<string> {
  try {
    return new Set(readFileSync(file(options), 'utf8').split('\n').filter((l) => HASH_LINE.test(l)));
  } catch {
    return new Set();
  }
}

/** Appends (one write, whole lines), so concurrent runs can only add, never corrupt. */
export function rememberNormal(options: unknown, hashes: string[]): void {
  if (hashes.length === 0 || cacheProblem()) return;
  try {
    // A leading newline ends a line a killed run may have left unfinished.
    appendFileSync(file(options), '\n' + hashes.join('\n') + '\n', { mode: 0o600 });
  } catch {
    // Without the cache the next run only costs more time.
  }
}
