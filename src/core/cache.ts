// Per-query result cache: a file whose path, size, mtime, ctime and inode are unchanged gives the
// same answer as last time, so a repeated query over an unchanged fleet reads no file at all.
// One shard per source folder, so a query over one file loads only its folder's entries.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Stats } from 'node:fs';

const FORMAT = 2;

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

interface Shard<T> {
  file: string;
  /** File name within the folder → [stamp, value]. */
  entries: Record<string, [string, T]>;
  dirty: boolean;
}

function readJson<V>(file: string, version: string): V | null {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format: number; version: string; data: V };
    return data.format === FORMAT && data.version === version ? data.data : null;
  } catch {
    return null;
  }
}

/** Written to a temporary name and renamed, so a concurrent run never reads half a file. */
function writeJson(file: string, version: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ format: FORMAT, version, data }));
  renameSync(tmp, file);
}

export class ResultCache<T> {
  private readonly root: string;
  private readonly shards = new Map<string, Shard<T>>();
  private metaChanged = false;
  /** Facts about the whole query (e.g. which engine answers it), kept beside the entries. */
  readonly meta: Record<string, string>;

  constructor(kind: string, key: string, private readonly version: string) {
    this.root = join(cacheDir(), `${kind}-${key}`);
    this.meta = readJson<Record<string, string>>(join(this.root, 'meta.json'), version) ?? {};
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
      shard = { file, entries: readJson<Record<string, [string, T]>>(file, this.version) ?? {}, dirty: false };
      this.shards.set(folder, shard);
    }
    return [shard, absolute.slice(folder.length + 1)];
  }

  get(path: string, stamp: string): T | undefined {
    const [shard, name] = this.shard(path);
    const hit = shard.entries[name];
    return hit && hit[0] === stamp ? hit[1] : undefined;
  }

  set(path: string, stamp: string, value: T): void {
    const [shard, name] = this.shard(path);
    shard.entries[name] = [stamp, value];
    shard.dirty = true;
  }

  save(): void {
    try {
      mkdirSync(this.root, { recursive: true });
      for (const shard of this.shards.values()) if (shard.dirty) writeJson(shard.file, this.version, shard.entries);
      if (this.metaChanged) writeJson(join(this.root, 'meta.json'), this.version, this.meta);
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  }
}
