// Shared test helpers: run the built CLI, find the shared corpus, make scratch folders.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'domfleet');
export const EXAMPLES = join(ROOT, 'examples', 'fleet');
export const CORPUS = process.env.DOMFLEET_CORPUS ?? join(ROOT, '..', 'shared', 'corpus');

// Every scratch folder of a test run lives under one root that goes away when mocha exits, so
// running the tests leaves nothing behind in the temporary folder.
let scratchRoot;
export function scratch(prefix = 'domfleet-test-') {
  if (!scratchRoot) {
    scratchRoot = mkdtempSync(join(tmpdir(), 'domfleet-tests-'));
    if (!process.env.DOMFLEET_KEEP_SCRATCH) {
      process.on('exit', () => rmSync(scratchRoot, { recursive: true, force: true }));
    }
  }
  return mkdtempSync(join(scratchRoot, prefix));
}

// Every CLI run gets its own cache folder unless a test shares one on purpose.
export function domfleet(args, { input, cacheHome = scratch('domfleet-cache-'), cwd = ROOT, env = {} } = {}) {
  const r = spawnSync(BIN, args, {
    cwd, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, XDG_CACHE_HOME: cacheHome, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Corpus files from MANIFEST.tsv, or null (with a loud note) when ../shared/corpus is absent. */
export function corpusFiles() {
  const manifest = join(CORPUS, 'MANIFEST.tsv');
  if (!existsSync(manifest)) return null;
  const [header, ...rows] = readFileSync(manifest, 'utf8').trim().split('\n');
  const cols = header.split('\t');
  return rows.map((line) => {
    const cells = line.split('\t');
    const row = Object.fromEntries(cols.map((c, i) => [c, cells[i]]));
    return { ...row, path: join(CORPUS, row.local_path) };
  });
}

/** Call in a `before` hook: marks the suite pending, visibly, when the corpus is missing. */
export function requireCorpus(ctx) {
  const files = corpusFiles();
  if (!files) {
    console.warn(`\n  !! CORPUS ABSENT: ${CORPUS} not found — corpus tests are NOT run (pending, not passed)\n`);
    ctx.skip();
  }
  return files;
}

export function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
