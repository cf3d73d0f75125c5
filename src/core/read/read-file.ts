// Reading a file that should be a domain definition, safely: only regular files are opened for
// reading (a FIFO, a socket, a device or a directory behind a *.xml name is refused before a
// byte is read), never past the size limit, and each refusal is an InputError naming the file.
// No WebAssembly here: inventory and the CLI use these without loading the parser.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';

/**
 * libvirt's own files are a few KiB, and virsh itself reads no definition over 10 MiB
 * (VSH_MAX_XML_FILE): a larger file is refused before it is read (--max-file-size).
 */
export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** Where a file's bytes come from: its path, or bytes already read (a document on stdin). */
export interface Source {
  path: string;
  data?: Uint8Array;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) ? 1 : 0)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KiB`;
  return `${bytes} bytes`;
}

export function tooLarge(path: string, size: number, limit: number): InputError {
  return new InputError(path, null, `too large: ${formatSize(size)} (--max-file-size is ${formatSize(limit)})`);
}

/** What a stat says a non-regular file is, in words. */
export function fileKind(st: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isSymbolicLink'>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function cannotRead(path: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  let why: string;
  switch (err.code) {
    case 'EISDIR': why = 'is a directory'; break;
    case 'ENOENT': why = isDanglingLink(path) ? 'dangling symbolic link' : 'no such file'; break;
    case 'EACCES': case 'EPERM': why = 'permission denied'; break;
    case 'ELOOP': why = 'symbolic link loop'; break;
    case 'ENXIO': why = 'not a regular file (a socket or a device)'; break;
    default: why = err.message;
  }
  return new InputError(path, null, `cannot read: ${why}`);
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

// Non-blocking, so a FIFO or a device put where a file was expected cannot stall the open; the
// type is checked on the open descriptor before a byte is read.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** Opens a regular file no larger than `limit`; anything else is an InputError. */
function openRegular(path: string, limit: number): { fd: number; size: number } {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw cannotRead(path, e);
  }
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (e) {
    closeSync(fd);
    throw cannotRead(path, e);
  }
  if (!st.isFile()) {
    closeSync(fd);
    throw new InputError(path, null, `not read: ${fileKind(st)}, not a regular file`);
  }
  if (st.size > limit) {
    closeSync(fd);
    throw tooLarge(path, st.size, limit);
  }
  return { fd, size: st.size };
}

/**
 * Reads until end of file into `holder.buffer` (replaced by a larger one as needed, never past
 * limit + 1 bytes); returns the length read.
 */
function readAll(path: string, fd: number, holder: { buffer: Buffer }, limit: number): number {
  let length = 0;
  for (;;) {
    if (length === holder.buffer.length) {
      if (length > limit) throw tooLarge(path, length, limit);
      const bigger = Buffer.allocUnsafeSlow(Math.min(Math.max(holder.buffer.length * 2, 4096), limit + 1));
      holder.buffer.copy(bigger, 0, 0, length);
      holder.buffer = bigger;
    }
    const n = readSync(fd, holder.buffer, length, holder.buffer.length - length, null);
    if (n === 0) return length;
    length += n;
  }
}

function readWith<T>(path: string, limit: number, read: (fd: number, size: number) => T): T {
  const { fd, size } = openRegular(path, limit);
  try {
    return read(fd, size);
  } catch (e) {
    throw e instanceof InputError ? e : cannotRead(path, e);
  } finally {
    closeSync(fd);
  }
}

/** A fresh copy of the file's bytes (or the source's own bytes). */
export function readBytes(source: Source | string, limit = DEFAULT_MAX_FILE_SIZE): Buffer {
  if (typeof source !== 'string' && source.data) return Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength);
  const path = typeof source === 'string' ? source : source.path;
  return readWith(path, limit, (fd, size) => {
    // One byte more than the size: a file that grew since fstat is still read to its end.
    const holder = { buffer: Buffer.allocUnsafeSlow(size + 1) };
    const length = readAll(path, fd, holder, limit);
    return holder.buffer.subarray(0, length);
  });
}

const scratch = { buffer: Buffer.allocUnsafeSlow(1 << 16) };

/**
 * The file's bytes in a buffer that the next call overwrites: for a caller done with them before
 * it reads another file. Spares a fresh buffer per file (a fleet query reads thousands).
 */
export function readBytesTransient(source: Source, limit = DEFAULT_MAX_FILE_SIZE): Buffer {
  if (source.data) return Buffer.from(source.data.buffer, source.data.byteOffset, source.data.byteLength);
  return readWith(source.path, limit, (fd) => {
    const length = readAll(source.path, fd, scratch, limit);
    return scratch.buffer.subarray(0, length);
  });
}

const SINGLE_BYTE_ENCODING = /^(iso-?8859-\d+|latin-?\d|l\d|windows-125\d|cp125\d|cp8\d\d|ibm8\d\d|koi8-[ru])$/i;

/**
 * What a reader of the file should know although it parsed: external entities that were not
 * loaded (the document is not what its author meant), and a declared single-byte encoding that
 * the bytes contradict (valid multi-byte UTF-8, so `café` would be read as `cafÃ©`). Cheap: only
 * the prolog, before the root element, is looked at.
 */
export function inspectProlog(bytes: Uint8Array): { warnings: string[]; suspect: boolean } {
  const warnings: string[] = [];
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const root = buffer.indexOf('<domain');
  const prolog = buffer.subarray(0, root < 0 ? Math.min(buffer.length, 65536) : root).toString('latin1');
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(prolog.replace(/^\uFEFF|^\xEF\xBB\xBF/, ''))?.[1];
  if (declared && SINGLE_BYTE_ENCODING.test(declared)) {
    let nonAscii = false;
    for (let i = 0; i < buffer.length; i++) if (buffer[i] >= 0x80) { nonAscii = true; break; }
    if (nonAscii && isUtf8(buffer)) {
      warnings.push(`declared encoding ${declared} contradicts the bytes, which are valid UTF-8: non-ASCII text is read as ${declared} (e.g. 'é' as 'Ã©')`);
    }
  }
  if (prolog.includes('<!ENTITY')) {
    const external = /<!ENTITY\s+(%\s+)?([^\s"'>]+)\s+(SYSTEM\s+("[^"]*"|'[^']*')|PUBLIC\s+("[^"]*"|'[^']*')\s+("[^"]*"|'[^']*'))/g;
    for (const m of prolog.matchAll(external)) {
      const [, parameter, name] = m;
      const where = (m[4] ?? m[6]).slice(1, -1);
      const used = parameter ? prolog.includes(`%${name};`) : buffer.includes(`&${name};`);
      if (used) warnings.push(`external entity '${name}' (${where}) was not loaded: its references are empty`);
    }
  }
  return { warnings, suspect: warnings.length > 0 };
}
