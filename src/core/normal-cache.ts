// Files already known to be normal skip the stylesheet: normalize is idempotent (the tests check
// it on every corpus file), so every text it has produced is its own normal form. The hashes of
// those texts are kept per option set and version, and a file whose bytes hash to one of them
// is normal without another transform.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, contentKey } from './cache.js';
import { VERSION } from './version.js';

export function textHash(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

function file(options: unknown): string {
  return join(cacheDir(), `normal-${contentKey(options, VERSION)}.txt`);
}

export function loadKnownNormal(options: unknown): Set<string> {
  try {
    return new Set(readFileSync(file(options), 'utf8').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

/** Appends (one write, whole lines), so concurrent runs can only add, never corrupt. */
export function rememberNormal(options: unknown, hashes: string[]): void {
  if (hashes.length === 0) return;
  try {
    mkdirSync(cacheDir(), { recursive: true });
    appendFileSync(file(options), hashes.join('\n') + '\n');
  } catch {
    // Without the cache the next run only costs more time.
  }
}
