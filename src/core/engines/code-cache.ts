// Loading a large CommonJS module (SaxonJS: 2.4 MB of JavaScript) with V8's code cache: V8
// compiles it in ~85 ms, or reads the code it compiled last time in ~25 ms. The cache lives in the
// private cache folder, keyed by the module's bytes, Node's version and V8's flags; a cache V8
// refuses, or that fails its checksum, is a miss and is written again.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { makeFolders } from '../write/write.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { cacheDir, cacheProblem, contentKey, writePrivate } from '../fleet/cache.js';

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

/** Reads a cache entry: 32 bytes of SHA-256, then V8's data. Null when absent or damaged. */
function readEntry(file: string): Buffer | null {
  try {
    if (!existsSync(file)) return null;
    const entry = readFileSync(file);
    const data = entry.subarray(32);
    return entry.length > 32 && sha256(data).equals(entry.subarray(0, 32)) ? data : null;
  } catch {
    return null;
  }
}

/** The module's exports, as require() would give them, compiled from the code cache when it can be. */
export function requireWithCodeCache(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const problem = cacheProblem();
  const folder = join(cacheDir(), 'code');
  const entry = join(folder, `${contentKey(source.length, sha256(Buffer.from(source)).toString('hex'), process.version, process.execArgv, process.arch)}.v8`);
  const cached = problem ? null : readEntry(entry);
  // The same wrapper Node puts around a CommonJS module.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: cached ?? undefined,
  });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  if (!problem && (!cached || script.cachedDataRejected)) {
    try {
      makeFolders(folder, 0o700);
      const data = script.createCachedData();
      writePrivate(entry, Buffer.concat([sha256(data), data]));
    } catch {
      // Not kept: compiled again next time.
    }
  }
  return module.exports;
}
