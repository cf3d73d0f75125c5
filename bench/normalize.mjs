// Normalize benchmarks for npm run bench: a 10k-file fleet normalized into a folder, side by side
// with libvirt itself (one virsh process of the test driver defining and dumping every file),
// Saxon-HE Java's directory-mode identity transform and xmllint --format per file.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/**
 * One virsh script over the files: define each, then dump it as `virsh dumpxml --inactive
 * --security-info` does. The only other tool that writes libvirt's bytes; its output goes to one
 * stream (virsh cannot write a file per domain), which favours it slightly.
 */
function virshScript(files, file) {
  const lines = [];
  for (const f of files) {
    const name = /<name>([^<]+)<\/name>/.exec(readFileSync(f, 'utf8'))?.[1];
    if (!name) continue;
    lines.push(`define --file '${f}'`, `dumpxml --inactive --security-info --domain '${name}'`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

export async function benchNormalize({ OUT, BIN, compare, pairedRatio, generateFleet, fleetFiles, have, SAXON_JAR }) {
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
  if (have('virsh')) {
    const script = virshScript(files, join(OUT, 'virsh-normalize.txt'));
    peers.push({ name: 'virsh (libvirt test driver): define + dumpxml --inactive per file, one process', cmd: 'bash', args: ['-c', `virsh -q -c test:///default < ${script} > ${join(target, 'virsh-out.xml')} 2>/dev/null; true`], before: fresh });
  }
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
  const ours = rows.find((r) => r.name.startsWith('domfleet'));
  const virsh = rows.find((r) => r.name.startsWith('virsh'));
  const java = rows.find((r) => r.name.startsWith('Saxon-HE'));
  ours.targets = [];
  if (virsh) ours.targets.push(`normalize ${size} files: ${pairedRatio(ours, virsh).toFixed(2)}× the virsh batch (target ≤ 1.5×, goal ≤ 1×)`);
  if (java) ours.targets.push(`normalize ${size} files: ${pairedRatio(ours, java).toFixed(2)}× Saxon-HE Java's identity transform (target ≤ 2.5×)`);
  ours.targets.push(`normalize ${size} files: peak RSS ${(ours.rss / 1024).toFixed(0)} MiB (target ≤ 300 MiB)`);
  // One domain, each command that runs the rules (target: ≤ 0.35 s wall each).
  const one = files[0];
  const xen = files.find((f) => /type='xen'/.test(readFileSync(f, 'utf8'))) ?? one;
  const report = join(OUT, 'one.html');
  for (const [label, args] of [
    ['normalize one file to stdout', ['normalize', '--no-cache', one]],
    ['migrate --to kvm one Xen file to stdout', ['migrate', '--to', 'kvm', xen]],
    ['transform nic-model one file to stdout', ['transform', 'nic-model', '-p', 'model=e1000', one]],
    ['report on one file', ['report', '-o', report, one]],
  ]) {
    rows.push(...compare(label, [
      { name: 'xmllint --format', cmd: 'xmllint', args: ['--format', one] },
      { name: `domfleet ${args[0]}`, cmd: BIN, args },
    ]));
  }
  fresh();
  mkdirSync(OUT, { recursive: true });
  return rows;
}
