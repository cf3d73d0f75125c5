// Per-query result cache: a file whose path, size, mtime, ctime and inode are unchanged gives the
// same answer as last time, so a repeated query over an unchanged fleet reads no file at all.
// One shard per source folder, so a query over one file loads only its folder's entries.
//
// The cache holds values read from files some users cannot read (a query of //graphics/@passwd
// caches passwords), so it is private: the folder 0700 and owned by the user, every entry 0600.
// A cache that cannot be used (read-only, a file where the folder should be, someone else's)
// means running without one; a damaged entry (truncated, not JSON, the wrong shape) is a miss.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { makeFolders } from '../write/write.js';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Stats } from 'node:fs';
import { threadId } from 'node:worker_threads';

const FORMAT = 2;

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'domfleet');
}

const problems = new Map<string, string | null>();

/**
 * Makes sure the cache folder exists, is a folder of this user's, private and writable. Returns
 * null when it is usable, or why not (once per process and folder: later calls are free).
 */
export function cacheProblem(dir = cacheDir()): string | null {
  if (problems.has(dir)) return problems.get(dir)!;
  let problem: string | null = null;
  try {
    makeFolders(dir, 0o700);
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    if (!st.isDirectory()) problem = 'not a folder';
    else if (uid !== undefined && st.uid !== uid) problem = `owned by another user (uid ${st.uid})`;
    else {
      if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
      // Writable? A probe file says so where permission bits would not (read-only mounts).
      const probe = join(dir, `.probe.${process.pid}`);
      writeFileSync(probe, '', { mode: 0o600 });
      unlinkSync(probe);
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    problem = err.code === 'EEXIST' || err.code === 'ENOTDIR' ? 'not a folder' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.code === 'EROFS' ? 'read-only file system' : (err.code ?? err.message);
  }
  problems.set(dir, problem);
  return problem;
}

/** The notice a caller gives once when the cache cannot be used. */
export function cacheNotice(problem: string, dir = cacheDir()): string {
  return `cache ${dir} cannot be used (${problem}): running without it`;
}

/** Writes a private cache file atomically (a concurrent run never reads half a file). */
export function writePrivate(file: string, text: string | Uint8Array): void {
  // Worker threads share the process id: the thread id keeps their scratch files apart.
  const tmp = `${file}.${process.pid}.${threadId}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    // An entry created by an older version may be wider open; rename gives the new one's mode.
    renameSync(tmp, file);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  }
}

export function contentKey(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function fileStamp(st: Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

interface Shard<T> {
  file: string;
  /** File name within the folder → [stamp, value]. */
  entries: Record<string, [string, T]>;
  dirty: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(file: string, version: string): unknown {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return isRecord(data) && data.format === FORMAT && data.version === version ? data.data : null;
  } catch {
    return null;
  }
}

function writeJson(file: string, version: string, data: unknown): void {
  writePrivate(file, JSON.stringify({ format: FORMAT, version, data }));
}

export class ResultCache<T> {
  private readonly root: string;
  private readonly shards = new Map<string, Shard<T>>();
  private metaChanged = false;
  /** Facts about the whole query (e.g. which engine answers it), kept beside the entries. */
  readonly meta: Record<string, string>;

  /** `isValue` checks each entry read back: anything else is a miss, as if it were not there. */
  constructor(kind: string, key: string, private readonly version: string, private readonly isValue: (v: unknown) => v is T) {
    this.root = join(cacheDir(), `${kind}-${key}`);
    const meta = readJson(join(this.root, 'meta.json'), version);
    this.meta = isRecord(meta) && Object.values(meta).every((v) => typeof v === 'string') ? meta as Record<string, string> : {};
  }

  /** True when an earlier run of this query left anything to reuse. */
  get warm(): boolean {
    return Object.keys(this.meta).length > 0;
  }

  setMeta(key: string, value: string): void {
    this.meta[key] = value;
    this.metaChanged = true;
  }

  private shard(path: string): [Shard<T>, string] {
    const absolute = resolve(path);
    const folder = dirname(absolute);
    let shard = this.shards.get(folder);
    if (!shard) {
      const file = join(this.root, `${contentKey(folder).slice(0, 20)}.json`);
      const entries = readJson(file, this.version);
      // Null-prototype: a file name such as __proto__ is an entry like any other.
      shard = { file, entries: Object.assign(Object.create(null), isRecord(entries) ? entries : {}), dirty: false };
      this.shards.set(folder, shard);
    }
    return [shard, absolute.slice(folder.length + 1)];
  }

  get(path: string, stamp: string): T | undefined {
    const [shard, name] = this.shard(path);
    const hit: unknown = shard.entries[name];
    if (!Array.isArray(hit) || hit.length !== 2 || hit[0] !== stamp) return undefined;
    return this.isValue(hit[1]) ? hit[1] : undefined;
  }

  set(path: string, stamp: string, value: T): void {
    const [shard, name] = this.shard(path);
    shard.entries[name] = [stamp, value];
    shard.dirty = true;
  }

  save(): void {
    try {
      makeFolders(this.root, 0o700);
      for (const shard of this.shards.values()) if (shard.dirty) writeJson(shard.file, this.version, shard.entries);
      if (this.metaChanged) writeJson(join(this.root, 'meta.json'), this.version, this.meta);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }
}
