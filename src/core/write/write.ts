// Writing files so that nothing is lost:
// - atomic replacement: the new content goes to a temporary file in the same folder, is flushed
//   to disk, takes the old file's owner, group and every mode bit (setuid/setgid/sticky too),
//   and is renamed over the old one. A crash at any moment leaves the old file or the new one.
// - symlinks stay symlinks: the file a link leads to is replaced, in its own folder.
// - hard links are never split silently: a file with several links is not rewritten.
// - concurrent writers: a lock file per target serialises domfleet runs, and under the lock the
//   file is compared with what was read; if it changed since, nothing is written and the caller
//   is told so (it redoes its work on the new content, or reports the file).
// - a run that is killed leaves at most a temporary or lock file, named after its process: the
//   next run over that folder removes it once that process is gone.
import {
  chmodSync, chownSync, closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync,
  renameSync, statSync, unlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { randomBytes, createHash } from 'node:crypto';
import { DomfleetError } from '../errors.js';

/** A file deliberately left as it was; the reason says why and what to do. */
export class NotWrittenError extends DomfleetError {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: not rewritten: ${reason}`);
  }
}

const TEMP_SUFFIX = '.domfleet-tmp';
const LOCK_SUFFIX = '.domfleet-lock';
/** `.NAME.PID.RANDOM.domfleet-tmp` and `.NAME.domfleet-lock` (which holds the PID). */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{8}\.domfleet-tmp$/;

/** Files this process has on disk right now that a signal handler should remove. */
const inFlight = new Set<string>();

/** Removes this process's temporary and lock files (for a signal handler: the run is ending). */
export function removeInFlightFiles(): void {
  for (const f of inFlight) {
    try { unlinkSync(f); } catch { /* already gone */ }
  }
  inFlight.clear();
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockOwner(lockPath: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * A lock is held for one file's write, milliseconds: one older than this was left by a run that
 * died (even if its PID has since been reused, or it died before writing its PID).
 */
const LOCK_STALE_MS = 60_000;

/** Whether the lock file was left by a run that is gone: its process is dead, or it is too old. */
function lockIsStale(lockPath: string): boolean {
  const pid = lockOwner(lockPath);
  if (pid !== null && !processAlive(pid)) return true;
  try {
    return Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Whether `name` in `folder` is a temporary or lock file of a domfleet run that no longer exists
 * on this machine.
 */
export function isStaleScratchFile(folder: string, name: string): boolean {
  if (!name.startsWith('.')) return false;
  const temp = TEMP_NAME.exec(name);
  if (temp) return !processAlive(Number(temp[1]));
  if (name.endsWith(LOCK_SUFFIX)) return lockIsStale(join(folder, name));
  return false;
}

/** Removes what isStaleScratchFile found; returns how many were removed. */
export function removeStaleScratch(paths: string[]): number {
  let removed = 0;
  for (const p of paths) {
    if (!isStaleScratchFile(dirname(p), basename(p))) continue;
    try { unlinkSync(p); removed++; } catch { /* gone, or not ours to remove */ }
  }
  return removed;
}

function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch {
    // Some file systems cannot fsync a folder; the rename itself is still atomic.
  }
}

export interface AtomicWriteOptions {
  /** A file whose mode (and owner, when keepOwner) the new file takes; default: the file itself. */
  like?: string;
  /** The owner and group of `like` must be kept (an in-place rewrite); otherwise kept when possible. */
  keepOwner?: boolean;
  /** Create missing parent folders (an output tree); otherwise a missing folder is an error. */
  createFolders?: boolean;
  /** The mode of a file that does not exist yet (default 0644); an existing file keeps its own. */
  newMode?: number;
}

/** Replaces (or creates) `path` with `data` atomically. */
export function writeAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const like = options.like ?? path;
  let mode = options.newMode ?? 0o644;
  let owner: { uid: number; gid: number } | null = null;
  try {
    const st = statSync(like);
    mode = st.mode & 0o7777;
    owner = { uid: st.uid, gid: st.gid };
  } catch {
    // A new file: default mode.
  }
  const folder = dirname(path);
  if (options.createFolders) makeFolders(folder);
  const tmp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  // Created private: the content is not readable by others before it has its final mode.
  const fd = openSync(tmp, 'wx', 0o600);
  inFlight.add(tmp);
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (owner && (owner.uid !== process.getuid?.() || owner.gid !== process.getgid?.())) {
      try {
        chownSync(tmp, owner.uid, owner.gid);
      } catch {
        if (options.keepOwner) throw new NotWrittenError(path, `cannot keep its owner and group (${owner.uid}:${owner.gid}); run as that user or as root`);
      }
    }
    // After chown, which clears setuid and setgid.
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
  syncFolder(folder);
}

const LOCK_WAIT_MS = 30_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Runs `work` holding `.NAME.domfleet-lock` beside `target`; a lock left by a dead process is taken over. */
function withLock<T>(target: string, work: () => T): T {
  const lock = join(dirname(target), `.${basename(target)}${LOCK_SUFFIX}`);
  takeLock(lock, target);
  try {
    return work();
  } finally {
    try { unlinkSync(lock); } catch { /* removed by someone who thought it stale */ }
    inFlight.delete(lock);
  }
}

/**
 * Creates the lock file with its owner's PID already in it: the PID goes into a temporary file
 * that is then hard-linked to the lock's name, which fails if the lock exists. A run killed at
 * any moment leaves a lock that names its process (or only a temporary file), never an empty
 * one. File systems without hard links get an exclusive create and then the PID.
 */
function takeLock(lock: string, target: string): void {
  const pending = join(dirname(lock), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  writeFileSync(pending, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
  inFlight.add(pending);
  const deadline = Date.now() + LOCK_WAIT_MS;
  try {
    for (;;) {
      try {
        try {
          linkSync(pending, lock);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw e;
          writeFileSync(lock, `${process.pid}\n`, { mode: 0o600, flag: 'wx' });
        }
        inFlight.add(lock);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      if (lockIsStale(lock)) {
        try { unlinkSync(lock); } catch { /* another run took it over first */ }
        continue;
      }
      if (Date.now() > deadline) {
        const pid = lockOwner(lock);
        throw new NotWrittenError(target, `locked by another run${pid ? ` (process ${pid})` : ''} for ${LOCK_WAIT_MS / 1000} s (${lock})`);
      }
      Atomics.wait(sleeper, 0, 0, 10);
    }
  } finally {
    try { unlinkSync(pending); } catch { /* already gone */ }
    inFlight.delete(pending);
  }
}

/**
 * Writes a command's output file (a report): through a symlink to its target, straight into an
 * existing device or FIFO (-o /dev/stdout, -o /dev/null), atomically otherwise. Never replaces a
 * special file or a link with a regular file.
 */
export function writeOutput(path: string, data: string | Uint8Array): void {
  let special = false;
  try {
    special = !statSync(path).isFile();
  } catch {
    // Missing (or a dangling link): a new regular file.
  }
  // Opened and written as it is: /dev/stdout is a link to /proc/self/fd/1, a pipe or terminal.
  if (special) {
    writeFileSync(path, data);
    return;
  }
  let target = path;
  try {
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A dangling link: the file it names is created.
    if (code === 'ENOENT' && isLink(path)) target = resolve(dirname(path), readlinkSync(path));
    else if (code !== 'ENOENT') throw e;
  }
  writeAtomic(target, data);
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

export type ReplaceOutcome = 'written' | 'changed' | 'vanished';

export interface ReplaceOptions {
  /** contentHash of the bytes the new content was computed from: written only if the file still has them. */
  expectedHash?: string;
}

/**
 * Rewrites a file in place, safely: through a symlink to its target, never splitting hard links,
 * locked against other domfleet runs, and only if the file still holds what was read. Returns
 * 'changed' or 'vanished' (nothing written) when someone else got there first; throws
 * NotWrittenError for files it will not rewrite, and Node's errors for failed writes.
 */
export function replaceFile(path: string, data: string | Uint8Array, options: ReplaceOptions = {}): ReplaceOutcome {
  let target = path;
  try {
    if (lstatSync(path).isSymbolicLink()) target = realpathSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'vanished';
    throw e;
  }
  return withLock(target, () => {
    let st;
    try {
      st = statSync(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'vanished';
      throw e;
    }
    if (!st.isFile()) throw new NotWrittenError(path, 'no longer a regular file');
    if (st.nlink > 1) throw new NotWrittenError(path, `it has ${st.nlink} hard links, and replacing it would split them (rewrite one link by hand, or make it a single file)`);
    if (options.expectedHash !== undefined && contentHash(readFileSync(target)) !== options.expectedHash) return 'changed';
    writeAtomic(target, data, { keepOwner: true });
    return 'written';
  });
}

/**
 * mkdir -p, one component at a time. Node's own recursive mkdirSync loops for ever where a
 * parent exists but refuses children with ENOENT (a cache under /proc, say): here each component
 * is tried once, and any refusal other than "exists" is thrown.
 */
export function makeFolders(path: string, mode = 0o777): void {
  const parts = resolve(path).split(sep).filter(Boolean);
  let current: string = sep;
  for (const part of parts) {
    current = join(current, part);
    try {
      mkdirSync(current, { mode });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
