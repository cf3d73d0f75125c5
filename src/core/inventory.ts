// Turns command-line inputs (files, folders, globs, '-' for a list of paths on stdin) into the
// ordered list of domain files to read, each with the host label it belongs to.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from './parse.js';

export interface InventoryEntry {
  path: string;
  /** First folder level under a folder or glob input, or --host; '' when neither applies. */
  host: string;
}

export interface DiscoverOptions {
  host?: string;
  /** Reads the newline-separated path list for the input '-'. */
  readStdin?: () => string;
}

export interface Inventory {
  entries: InventoryEntry[];
  errors: InputError[];
}

function hostUnder(base: string, file: string): string {
  const rel = relative(base, file);
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '';
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
    const full = join(dir, d.name);
    if (d.isDirectory()) walkXml(full, out);
    else if (d.name.endsWith('.xml') && (d.isFile() || d.isSymbolicLink())) out.push(full);
  }
}

/** The folder part of a glob before its first wildcard: hosts are counted from there. */
function globBase(pattern: string): string {
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
  const seen = new Set<string>();
  const add = (path: string, host: string) => {
    const key = resolve(path);
    if (seen.has(key)) return;
    seen.add(key);
    entries.push({ path, host: options.host ?? host });
  };
  for (const input of inputs) {
    if (input === '-') {
      const text = options.readStdin?.() ?? '';
      for (const line of text.split('\n')) if (line.trim()) add(line.replace(/\r$/, ''), '');
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
      try {
        walkXml(input, files);
      } catch (e) {
        errors.push(e as InputError);
      }
      for (const f of files) add(f, hostUnder(input, f));
    } else if (stat) {
      add(input, '');
    } else if (isDynamicPattern(input)) {
      const base = globBase(input);
      const matches = (await glob(input, { onlyFiles: true, expandDirectories: false })).sort();
      if (matches.length === 0) errors.push(new InputError(input, null, 'no file matches this pattern'));
      for (const m of matches) add(m, hostUnder(base, m));
    } else {
      errors.push(new InputError(input, null, 'no such file or folder'));
    }
  }
  return { entries, errors };
}
