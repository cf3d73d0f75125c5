// Turns command-line inputs (files, folders, globs, '-' for a list of paths on stdin, or one
// document on stdin) into the ordered list of domain files to read, each with the host label it
// belongs to. Built for the folders operators really have, such as /etc/libvirt/qemu: each file
// is listed once however many symlinks lead to it, only regular files are listed (a FIFO,
// socket, device or directory behind a *.xml name is reported, never opened), and a folder that
// cannot be read is reported while everything after it is still found.
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors.js';
import { fileKind } from './read-file.js';
import { isStaleScratchFile } from '../write/write.js';
import type { LiveFleet, LiveReadOptions } from '../live/live-fleet.js';

export interface InventoryEntry {
  path: string;
  /** First folder level under a folder or glob input, or --host; '' when neither applies. */
  host: string;
  /** Path below the folder or glob base it was found under (the file name for a file input). */
  relative: string;
  /** The document itself, for one read from stdin (path '<stdin>') or from a live host (path 'HOST:NAME'). */
  data?: Uint8Array;
  /** For a domain read from a live host: where it lives, for defining changes back. */
  live?: { uri: string; label: string; uuid: string };
  /**
   * Set when the path is a symbolic link: the file it leads to, and whether that file lies
   * inside the inputs (below a folder input, or named itself). Writers rewrite the target, and
   * only when it lies inside the inputs unless told to follow links anywhere.
   */
  link?: { target: string; insideInputs: boolean };
}

export interface DiscoverOptions {
  /** Host label for every file (overrides the folder-derived one). */
  host?: string;
  /** Reads the path list for the input '-' (newline-separated, or NUL-separated with nullSeparated). */
  readStdin?: () => string | Uint8Array;
  /** The '-' path list is NUL-separated (find -print0), so paths may hold newlines. */
  nullSeparated?: boolean;
  /** One document read from stdin, listed as '<stdin>' before any other input. */
  stdinDocument?: Uint8Array;
  /** Live hosts to read as well, by libvirt URI (NAME=URI gives the host label). */
  connect?: string[];
  /** A file of libvirt URIs, one per line (# comments). */
  hostsFile?: string;
  /** How live hosts are read. */
  live?: LiveReadOptions;
  /** Told once about anything that degrades the run without failing a file (a live domain gone between listing and reading …). */
  onNotice?: (message: string) => void;
  /** Live hosts already read (a command that defines changes back keeps their connections open). */
  liveFleet?: LiveFleet;
}

export interface Inventory {
  entries: InventoryEntry[];
  errors: InputError[];
  /** Temporary and lock files left by an earlier run that was killed (their process is gone). */
  staleScratch: string[];
}

function hostUnder(base: string, file: string): string {
  // Walked paths start with the folder itself; globbed ones may not, and need relative().
  const rel = file.startsWith(base + sep) ? file.slice(base.length + 1) : relative(base, file);
  const slash = rel.indexOf(sep);
  return slash > 0 ? rel.slice(0, slash) : '';
}

interface Walk {
  files: string[];
  /** Indexes into files of the entries that are symbolic links. */
  links: number[];
  errors: InputError[];
  scratch: string[];
}

function walkXml(dir: string, walk: Walk): void {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    // Reported, and the walk goes on with the folders beside this one.
    walk.errors.push(new InputError(dir, null, `cannot read folder: ${describeErrno(e)}`));
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    // Plain concatenation keeps the path as the user spelled it (join would drop a leading ./).
    const full = dir.endsWith(sep) ? dir + d.name : dir + sep + d.name;
    // Links to folders are not followed: a link loop cannot trap the walk, and libvirt's own
    // folders link only files.
    if (d.isDirectory()) walkXml(full, walk);
    else if (d.name.endsWith('.xml')) {
      if (d.isSymbolicLink()) walk.links.push(walk.files.length);
      else if (!d.isFile()) {
        walk.errors.push(new InputError(full, null, `not read: ${fileKind(d)}, not a regular file`));
        continue;
      }
      walk.files.push(full);
    } else if (d.isFile() && isStaleScratchFile(dir, d.name)) walk.scratch.push(full);
  }
}

function describeErrno(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOENT': return 'no such file or folder';
    case 'ELOOP': return 'symbolic link loop';
    case 'ENOTDIR': return 'not a folder';
    default: return err.code ?? err.message;
  }
}

/** Why a symlink cannot be read as a domain file, or null when it leads to a regular file. */
function linkProblem(path: string): { reason: string } | { target: string } {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === 'ENOENT' ? 'dangling symbolic link' : `cannot follow symbolic link: ${describeErrno(e)}` };
  }
  if (!st.isFile()) return { reason: `not read: symbolic link to ${fileKind(st)}, not a regular file` };
  try {
    return { target: realpathSync(path) };
  } catch (e) {
    return { reason: `cannot follow symbolic link: ${describeErrno(e)}` };
  }
}

/**
 * Whether an input might be a glob, without loading the glob library (~30 ms of start-up that a
 * run over files and folders does not need). tinyglobby decides for inputs that pass this.
 */
export function mayBeGlob(input: string): boolean {
  return /[*?[\]{}()!+@]/.test(input);
}

/** The folder part of a glob before its first wildcard: hosts are counted from there. */
function globBase(pattern: string, isDynamicPattern: (p: string) => boolean): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const p of parts) {
    if (isDynamicPattern(p)) break;
    fixed.push(p);
  }
  return fixed.join('/') || '.';
}

function pathList(text: string | Uint8Array, nullSeparated: boolean): string[] {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('utf8');
  if (nullSeparated) return s.split('\0').filter((p) => p !== '');
  return s.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
}

export async function discover(inputs: string[], options: DiscoverOptions = {}): Promise<Inventory> {
  const entries: InventoryEntry[] = [];
  const errors: InputError[] = [];
  const staleScratch: string[] = [];
  // Each file is listed once, by its real path: overlapping inputs, a path list naming a file
  // twice, and libvirt's autostart/ links to ../NAME.xml all lead to one entry. The first path
  // given wins (and gives the host label); within one folder a regular file wins over links to
  // it. At 100,000 files a set of real paths is ~10 MB: a single folder with no links, which
  // cannot list a file twice, keeps none.
  let seen: Set<string> | null = inputs.length > 1 || inputs[0] === '-' || options.stdinDocument ? new Set<string>() : null;
  // Real paths of the folder inputs (with a trailing separator) and of the file inputs: a
  // symlink's target inside one of these may be rewritten through the link.
  const folderRoots: string[] = [];
  const fileInputs = new Set<string>();
  const add = (path: string, host: string, rel: string, key: string | null, link?: InventoryEntry['link']) => {
    if (seen && key !== null) {
      if (seen.has(key)) return;
      seen.add(key);
    }
    const entry: InventoryEntry = { path, host: options.host ?? host, relative: rel };
    if (link) entry.link = link;
    entries.push(entry);
  };
  /** A single path (file input, glob match, path-list line): regular files only. */
  const addFile = (path: string, host: string, rel: string, named: boolean) => {
    if (path.includes('\0')) {
      errors.push(new InputError(path, null, 'not a usable path: it contains a NUL byte'));
      return;
    }
    let lst: Stats;
    try {
      lst = lstatSync(path);
    } catch (e) {
      errors.push(new InputError(path, null, `cannot read: ${describeErrno(e)}`));
      return;
    }
    if (lst.isSymbolicLink()) {
      const followed = linkProblem(path);
      if ('reason' in followed) {
        errors.push(new InputError(path, null, followed.reason));
        return;
      }
      seen ??= new Set();
      if (named) fileInputs.add(followed.target);
      add(path, host, rel, followed.target, { target: followed.target, insideInputs: named });
      return;
    }
    if (!lst.isFile()) {
      errors.push(new InputError(path, null, lst.isDirectory() ? 'is a folder' : `not read: ${fileKind(lst)}, not a regular file`));
      return;
    }
    const key = seen ? resolveReal(path) : null;
    if (named && key) fileInputs.add(key);
    add(path, host, rel, key);
  };

  if (options.stdinDocument) entries.push({ path: '<stdin>', host: options.host ?? '', relative: 'stdin.xml', data: options.stdinDocument });

  for (const input of inputs) {
    if (input === '-') {
      const text = options.readStdin?.() ?? '';
      // `cat vm.xml | domfleet query X -`: a document where a path list was promised is one
      // line, not one "cannot read" per line of XML.
      if (/^(\uFEFF|\xEF\xBB\xBF)?\s*<[?!a-zA-Z]/.test(typeof text === 'string' ? text.slice(0, 64) : Buffer.from(text.subarray(0, 64)).toString('latin1'))) {
        errors.push(new InputError('-', null, 'stdin holds an XML document, not a list of paths: leave out the - to read it as a document'));
        continue;
      }
      const list = pathList(text, Boolean(options.nullSeparated));
      for (const line of list) addFile(line, '', basename(line), true);
      continue;
    }
    if (input.includes('\0')) {
      errors.push(new InputError(input, null, 'not a usable path: it contains a NUL byte'));
      continue;
    }
    let stat: Stats | null;
    try {
      stat = statSync(input);
    } catch {
      stat = null;
    }
    if (stat?.isDirectory()) {
      const root = input.length > 1 ? input.replace(/\/+$/, '') : input;
      const walk: Walk = { files: [], links: [], errors: [], scratch: [] };
      walkXml(root, walk);
      errors.push(...walk.errors);
      staleScratch.push(...walk.scratch);
      if (walk.files.length === 0 && walk.errors.length === 0) {
        errors.push(new InputError(input, null, 'no *.xml files in this folder'));
        continue;
      }
      const realRoot = resolveReal(root);
      folderRoots.push(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
      // Links need real paths, and then so does every file they might lead to.
      if (walk.links.length) seen ??= new Set();
      const realOf = (f: string) => realRoot + f.slice(root.length);
      const linkAt = new Set(walk.links);
      // Regular files of this folder claim their real paths first, so a link to one of them
      // (autostart/NAME.xml → ../NAME.xml) is not listed in its place.
      const claimedHere = new Set<string>();
      if (seen && walk.links.length) {
        walk.files.forEach((f, i) => { if (!linkAt.has(i)) { const k = realOf(f); if (!seen!.has(k)) claimedHere.add(k); } });
      }
      const relOf = (f: string) => f.slice(root.length + (root.endsWith(sep) ? 0 : 1));
      walk.files.forEach((f, i) => {
        if (!linkAt.has(i)) {
          add(f, hostUnder(root, f), relOf(f), seen ? realOf(f) : null);
          return;
        }
        const followed = linkProblem(f);
        if ('reason' in followed) {
          errors.push(new InputError(f, null, followed.reason));
          return;
        }
        if (claimedHere.has(followed.target)) return;
        add(f, hostUnder(root, f), relOf(f), followed.target, { target: followed.target, insideInputs: false });
      });
    } else if (stat) {
      addFile(input, '', basename(input), true);
    } else {
      const tinyglobby = mayBeGlob(input) ? await import('tinyglobby') : null;
      if (tinyglobby?.isDynamicPattern(input)) {
        const base = globBase(input, tinyglobby.isDynamicPattern);
        const matches = (await tinyglobby.glob(input, { onlyFiles: true, expandDirectories: false })).sort();
        if (matches.length === 0) errors.push(new InputError(input, null, 'no file matches this pattern'));
        seen ??= new Set();
        // As in a folder: the regular files the pattern matches claim their real paths first
        // (autostart/NAME.xml sorts before NAME.xml), and count as named inputs for links.
        const claimedHere = new Set<string>();
        for (const m of matches) {
          if (!isRegularFile(m)) continue;
          const key = resolveReal(m);
          fileInputs.add(key);
          if (!seen.has(key)) claimedHere.add(key);
        }
        for (const m of matches) {
          if (claimedHere.size && !isRegularFile(m)) {
            const target = realOrNull(m);
            if (target && claimedHere.has(target)) continue;
          }
          addFile(m, hostUnder(base, m), relative(base, m), false);
        }
      } else {
        let why = 'no such file or folder';
        try {
          lstatSync(input);
          why = 'dangling symbolic link';
        } catch { /* plain missing */ }
        errors.push(new InputError(input, null, why));
      }
    }
  }
  // Live domains come after the files, host by host in the order given. A host that cannot be
  // read is an input error of its own; the others are still answered.
  let fleet = options.liveFleet;
  const opened = !fleet && (options.connect?.length || options.hostsFile !== undefined);
  if (opened) {
    const live = await import('../live/live-fleet.js');
    fleet = await live.LiveFleet.open(live.parseConnections(options.connect, options.hostsFile), { ...options.live, onNotice: options.live?.onNotice ?? options.onNotice });
  }
  if (fleet) {
    const { fileNameFor } = await import('../live/live-fleet.js');
    for (const d of fleet.domains) {
      entries.push({ path: `${d.label}:${d.name}`, host: options.host ?? d.label, relative: `${d.label}/${fileNameFor(d.name)}`, data: d.xml, live: { uri: d.uri, label: d.label, uuid: d.uuid } });
    }
    for (const e of fleet.errors) errors.push(new InputError(e.uri, null, `host ${e.label}: ${e.reason}`));
    if (opened) fleet.close();
  }
  // Whether a link leads inside the inputs is known only once every input has been seen.
  for (const e of entries) {
    if (e.link && !e.link.insideInputs) {
      e.link.insideInputs = fileInputs.has(e.link.target) || folderRoots.some((r) => e.link!.target.startsWith(r));
    }
  }
  return { entries, errors, staleScratch };
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

function realOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The real path, or (for a path that does not exist yet) the absolute one. */
export function resolveReal(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
