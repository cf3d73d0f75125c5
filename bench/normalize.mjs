// Normalize benchmarks for npm run bench: a 10k-file fleet normalized into a folder, side by side
// with Saxon-HE Java's directory-mode identity transform and xmllint --format per file.
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Saxon's directory mode does not descend into the host folders: give it one flat folder. */
function flatCopy(files, dir) {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    for (const f of files) symlinkSync(f, join(dir, basename(f)));
  }
  return dir;
}

const IDENTITY = `<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:mode on-no-match="shallow-copy"/>
</xsl:stylesheet>
`;

export async function benchNormalize({ OUT, BIN, compare, generateFleet, fleetFiles, have, SAXON_JAR }) {
  const size = Number(process.env.BENCH_NORMALIZE_SIZE ?? 10000);
  const dir = generateFleet(join(OUT, `fleet-${size}`), size);
  const files = fleetFiles(dir);
  const target = join(OUT, 'normalized');
  const identity = join(OUT, 'identity.xsl');
  writeFileSync(identity, IDENTITY);
  const list = join(OUT, 'normalize-files.txt');
  writeFileSync(list, files.join('\n') + '\n');
  const fresh = () => { rmSync(target, { recursive: true, force: true }); mkdirSync(target, { recursive: true }); };
  const peers = [];
  if (have('java') && SAXON_JAR) {
    const flat = flatCopy(files, join(OUT, `flat-${size}`));
    peers.push({ name: 'Saxon-HE Java, identity transform, directory mode', cmd: 'java', args: ['-cp', SAXON_JAR, 'net.sf.saxon.Transform', `-s:${flat}`, `-o:${target}`, `-xsl:${identity}`], before: fresh });
  }
  peers.push({ name: 'domfleet normalize -o (cold, no cache)', cmd: BIN, args: ['normalize', '--no-cache', '-q', '-o', target, dir], before: fresh });
  if (have('xmllint')) {
    peers.push({ name: 'xmllint --format, one process per file', cmd: 'bash', args: ['-c', `mkdir -p ${target}; while read -r f; do xmllint --format "$f" > ${target}/$(basename "$f"); done < ${list}`], before: fresh });
  }
  console.error(`normalize, ${size} files…`);
  const rows = compare(`normalize into a folder, ${size} files`, peers);
  const one = files[0];
  rows.push(...compare('normalize one file to stdout', [
    { name: 'xmllint --format', cmd: 'xmllint', args: ['--format', one] },
    { name: 'domfleet normalize', cmd: BIN, args: ['normalize', '--no-cache', one] },
  ]));
  fresh();
  mkdirSync(OUT, { recursive: true });
  return rows;
}
