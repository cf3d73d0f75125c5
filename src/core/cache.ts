// Per-query result cache: a file whose path, size, mtime, ctime and inode are unchanged gives the
// same answer as last time, so a repeated query over an unchanged fleet reads no file at all.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Stats } from 'node:fs';

const FORMAT = 1;

export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'domfleet');
}

export function contentKey(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

export function fileStamp(st: Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

interface CacheFile<T> { format: number; entries: Record<string, [string, T]> }

export class ResultCache<T> {
  private entries: Record<string, [string, T]> = {};
  private fresh: Record<string, [string, T]> = {};
  private changed = false;
  private readonly file: string;

  constructor(kind: string, key: string, private readonly version: string) {
    this.file = join(cacheDir(), `${kind}-${key}.json`);
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as CacheFile<T> & { version?: string };
      if (data.format === FORMAT && data.version === version) this.entries = data.entries;
    } catch {
      // No cache yet, or unreadable: start empty.
    }
  }

  get(path: string, stamp: string): T | undefined {
    const hit = this.entries[resolve(path)];
    if (hit && hit[0] === stamp) {
      this.fresh[resolve(path)] = hit;
      return hit[1];
    }
    return undefined;
  }

  set(path: string, stamp: string, value: T): void {
    this.fresh[resolve(path)] = [stamp, value];
    this.changed = true;
  }

  /**
   * Keeps the entries of this run, plus older ones for files outside it (another folder queried
   * with the same expression), written atomically so a concurrent run never reads half a file.
   */
  save(): void {
    if (!this.changed) return;
    try {
      mkdirSync(cacheDir(), { recursive: true });
      const merged = { ...this.entries, ...this.fresh };
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ format: FORMAT, version: this.version, entries: merged }));
      renameSync(tmp, this.file);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }
}
