// Atomic file replacement: the new content goes to a temporary file in the same folder, is
// flushed to disk, takes the old file's mode and owner, and is renamed over the old one. A crash
// at any moment leaves either the old file or the new one, never a mix.
import { chmodSync, chownSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Some file systems cannot fsync a folder; the rename itself is still atomic.
  }
}

/** Replaces (or creates) `path` with `data` atomically; `like` names a file whose mode to copy. */
export function writeAtomic(path: string, data: string | Uint8Array, like: string = path): void {
  let mode = 0o644;
  let owner: { uid: number; gid: number } | null = null;
  try {
    const st = statSync(like);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch {
    // A new file: default mode.
  }
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true });
  const tmp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.domfleet-tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode);
    if (owner && typeof process.getuid === 'function' && process.getuid() === 0) {
      try { chownSync(tmp, owner.uid, owner.gid); } catch { /* keep ours */ }
    }
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  syncFolder(folder);
}
