// Turns command-line inputs (files, folders, globs, '-' for a list of paths on stdin) into the
// ordered list of domain files to read, each with the host label it belongs to.
import { readdirSync, statSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.js';

export interface InventoryEntry {
  path: string;
  /** First folder level under a folder or glob input, or --host; '' when neither applies. */
  host: string;
  /** Path below the folder or glob base it was found under (the file name for a file input). */
  relative: string;
}

export interface DiscoverOptions {
  /** Host label for every file (overrides the folder-derived one). */
  host?: string;
  /** Reads the newline-separated path list for the input '-'. */
  readStdin?: () => string;
}

export interface Inventory {
  entries: InventoryEntry[];
  errors: InputError[];
}

function hostUnder(base: string, file: string): string {
  // Walked paths start with the folder itself; globbed ones may not, and need relative().
  const rel = file.startsWith(base + sep) ? file.slice(base.length + 1) : relative(base, file);
  const slash = rel.indexOf(sep);
  return slash > 0 ? rel.slice(0, slash) : '';
}

function walkXml(dir: string, out: string[]): void {
  let names;
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(dir, null, `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of names) {
    // Plain concatenation keeps the path as the user spelled it (join would drop a leading ./).
    const full = dir.endsWith(sep) ? dir + d.name : dir + sep + d.name;
    if (d.isDirectory()) walkXml(full, out);
    else if (d.name.endsWith('.xml') && (d.isFile() || d.isSymbolicLink())) out.push(full);
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

export async function discover(inputs: string[], options: DiscoverOptions = {}): Promise<Inventory> {
  const entries: InventoryEntry[] = [];
  const errors: InputError[] = [];
  // The same file named twice (overlapping inputs, a path list naming it twice) is read once. One
  // folder or glob cannot name a file twice, and at 100,000 files the set of absolute paths is
  // ~10 MB worth sparing.
  const seen = inputs.length > 1 || inputs[0] === '-' ? new Set<string>() : null;
  const add = (path: string, host: string, rel: string, key?: string) => {
    if (seen) {
      key ??= resolve(path);
      if (seen.has(key)) return;
      seen.add(key);
    }
    entries.push({ path, host: options.host ?? host, relative: rel });
  };
  for (const input of inputs) {
    if (input === '-') {
      const text = options.readStdin?.() ?? '';
      for (const line of text.split('\n')) if (line.trim()) add(line.replace(/\r$/, ''), '', basename(line.replace(/\r$/, '')));
      continue;
    }
    let stat;
    try {
      stat = statSync(input);
    } catch {
      stat = null;
    }
    if (stat?.isDirectory()) {
      const files: string[] = [];
      const root = input.length > 1 ? input.replace(/\/+$/, '') : input;
      try {
        walkXml(root, files);
      } catch (e) {
        errors.push(e as InputError);
      }
      // Resolving once per folder, not per file: resolve() is most of a 100k-file walk's time.
      const absolute = resolve(root);
      for (const f of files) add(f, hostUnder(root, f), f.slice(root.length + (root.endsWith(sep) ? 0 : 1)), seen ? absolute + f.slice(root.length) : undefined);
    } else if (stat) {
      add(input, '', basename(input));
    } else {
      const tinyglobby = mayBeGlob(input) ? await import('tinyglobby') : null;
      if (tinyglobby?.isDynamicPattern(input)) {
        const base = globBase(input, tinyglobby.isDynamicPattern);
        const matches = (await tinyglobby.glob(input, { onlyFiles: true, expandDirectories: false })).sort();
        if (matches.length === 0) errors.push(new InputError(input, null, 'no file matches this pattern'));
        for (const m of matches) add(m, hostUnder(base, m), relative(base, m));
      } else {
        errors.push(new InputError(input, null, 'no such file or folder'));
      }
    }
  }
  return { entries, errors };
}
