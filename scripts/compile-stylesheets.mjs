// Compiles every entry stylesheet under stylesheets/ to SEF next to it, so that saxon-js can run
// them without compiling at run time. Entry points are the top-level *.xsl files and every file in
// stylesheets/transforms/; the modules they include (normalize/, migrate/, report/, lib/) are
// compiled into them.
import { execFileSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sheets = join(root, 'stylesheets');
const entryFolders = ['', 'transforms'];
const entries = entryFolders
  .map((folder) => join(sheets, folder))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.xsl')).map((f) => join(dir, f)));

const xslt3 = createRequire(import.meta.url).resolve('xslt3/xslt3.js');
for (const xsl of entries) {
  const sef = xsl.replace(/\.xsl$/, '.sef.json');
  execFileSync(process.execPath, [xslt3, `-xsl:${xsl}`, `-export:${sef}`, '-nogo', '-relocate:on'], { stdio: 'inherit' });
}
console.log(`compiled ${entries.length} stylesheet(s) to SEF`);
