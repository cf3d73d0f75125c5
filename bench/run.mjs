// npm run bench: domfleet side by side with xmlstarlet, xmllint and Saxon-HE Java on generated
// fleets, runs alternated so machine noise hits both sides alike, medians of the paired ratios
// written into docs/benchmarks.md between the results markers.
//
//   BENCH_RUNS=N      paired runs per measurement (default 5)
//   BENCH_SIZES=a,b   fleet sizes (default 1000,10000)
//   BENCH_100K=1      also measure peak memory at 100,000 files
//   BENCH_ONLY=query  skip the validate and normalize measurements (they take ~10 minutes); query
//                     and lint rows only
//   BENCH_LIVE_SIZE=N  domains per test-driver host for the live row (default 1000);
//   BENCH_LIVE_SAMPLE=N  of which the virsh loop is timed over N per host (default 30)
//   BENCH_VALIDATE_SIZE=N  files for the validate row (default 2000: the virt-xml-validate loop
//                     takes ~25 ms a file)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFleet, fleetFiles } from './generate.mjs';
import { benchNormalize } from './normalize.mjs';
import { benchValidate } from './validate.mjs';
import { benchLive } from './live.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const BIN = join(ROOT, 'bin', 'domfleet');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
// Debian's libsaxonhe-java; without it the Saxon rows are left out, with a notice.
const SAXON_JAR = existsSync('/usr/share/java/Saxon-HE.jar') ? '/usr/share/java/Saxon-HE.jar' : null;

const ROWS = "/domain/devices/interface[@type='bridge' or (@type='network' and source/@bridge)]";

export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** Wall seconds and peak RSS (KiB) of one run; output discarded. */
export function timed(cmd, args, env = {}, okCodes = [0, 1]) {
  const stats = join(OUT, '.time');
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', stats, cmd, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env }, maxBuffer: 1 << 28,
  });
  const wall = (performance.now() - t) / 1000;
  if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.slice(0, 4).join(' ')} failed (${r.status}): ${r.stderr}`);
  return { wall, rss: Number(readFileSync(stats, 'utf8').trim().split('\n').pop()) };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median of the paired ratios of row a to row b (runs alternate, so pairs ran side by side). */
export function pairedRatio(a, b) {
  return median(a.walls.map((w, i) => w / b.walls[i]));
}

/** Alternates the commands RUNS times; returns medians and the median ratio to the first one. */
export function compare(label, commands) {
  const samples = commands.map(() => []);
  for (let i = 0; i < RUNS; i++) {
    commands.forEach((c, k) => {
      c.before?.();
      samples[k].push(timed(c.cmd, c.args, c.env, c.okCodes));
    });
  }
  const baseline = samples[0].map((s) => s.wall);
  return commands.map((c, k) => ({
    label, name: c.name,
    wall: median(samples[k].map((s) => s.wall)),
    rss: median(samples[k].map((s) => s.rss)),
    ratio: k === 0 ? 1 : median(samples[k].map((s, i) => s.wall / baseline[i])),
    walls: samples[k].map((s) => s.wall),
  }));
}

function queryPeers(dir, files, cacheHome) {
  const listFile = join(OUT, `files-${files.length}.txt`);
  writeFileSync(listFile, files.join('\n') + '\n');
  const peers = [
    { name: 'xmlstarlet sel', cmd: 'xmlstarlet', args: ['sel', '-T', '-t', '-m', ROWS, '-f', '-o', '\t', '-v', '/domain/name', '-o', '\t', '-v', "translate(mac/@address,'ABCDEF','abcdef')", '-o', '\t', '-v', 'source/@bridge', '-n', ...files] },
    { name: 'domfleet query (cold, no cache)', cmd: BIN, args: ['query', '--no-cache', 'bridged-nics', dir] },
  ];
  if (have('xmllint')) peers.push({ name: 'xmllint --xpath', cmd: 'xmllint', args: ['--xpath', `${ROWS}/mac/@address`, ...files], okCodes: [0, 10] });
  if (SAXON_JAR && have('java')) {
    peers.push({ name: 'Saxon-HE Java (XQuery over the collection)', cmd: 'java', args: ['-cp', SAXON_JAR, 'net.sf.saxon.Query', `-qs:for $d in collection('${dir}?select=*.xml;recurse=yes') for $i in $d${ROWS} return string-join(($d/domain/name, lower-case($i/mac/@address), $i/source/@bridge), '&#9;')`, '!method=text'] });
  }
  const cold = compare(`query bridged-nics, ${files.length} files`, peers);
  // Warm the cache once, then time repeated runs against an unchanged fleet.
  timed(BIN, ['query', 'bridged-nics', dir], { XDG_CACHE_HOME: cacheHome });
  const warm = compare(`query bridged-nics again, unchanged fleet, ${files.length} files`, [
    peers[0],
    { name: 'domfleet query (cached)', cmd: BIN, args: ['query', 'bridged-nics', dir], env: { XDG_CACHE_HOME: cacheHome } },
  ]);
  rmSync(listFile);
  return [...cold, ...warm];
}

/** lint with its default rules beside the cold bridged-nics query: both parse every file once. */
function benchLint(dir, size) {
  const [query, lint] = compare(`lint (default rules) vs query, ${size} files`, [
    { name: 'domfleet query bridged-nics (cold, no cache)', cmd: BIN, args: ['query', '--no-cache', 'bridged-nics', dir] },
    { name: 'domfleet lint', cmd: BIN, args: ['lint', '--no-config', '-q', dir], okCodes: [0, 1] },
  ]);
  lint.targets = [`lint ${size} files: ${lint.ratio.toFixed(2)}× the cold bridged-nics query (target ≤ 1.5×)`];
  return [query, lint];
}

function table(rows) {
  const lines = ['| measurement | tool | wall (s, median) | × first tool (median of paired ratios) | peak RSS (MiB) |', '|---|---|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.label} | ${r.name} | ${r.wall.toFixed(3)} | ${Number.isNaN(r.ratio) ? "—" : r.ratio.toFixed(2)} | ${(r.rss / 1024).toFixed(0)} |`);
  return lines.join('\n');
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  for (const tool of ['xmlstarlet', '/usr/bin/time']) if (!have(tool)) throw new Error(`${tool} is needed: apt-get install xmlstarlet time`);
  if (!SAXON_JAR || !have('java')) console.error('Saxon-HE Java is not installed (apt-get install libsaxonhe-java): its rows are left out');
  if (!have('virsh')) console.error('virsh is not installed (apt-get install libvirt-clients): the libvirt row is left out');
  const rows = [];
  for (const size of SIZES) {
    const dir = generateFleet(join(OUT, `fleet-${size}`), size);
    const cacheHome = join(OUT, `cache-${size}`);
    rmSync(cacheHome, { recursive: true, force: true });
    console.error(`query, ${size} files…`);
    rows.push(...queryPeers(dir, fleetFiles(dir), cacheHome));
    console.error(`lint, ${size} files…`);
    rows.push(...benchLint(dir, size));
  }
  const one = fleetFiles(generateFleet(join(OUT, 'fleet-1000'), 1000))[0];
  rows.push(...compare('query bridged-nics, one file', [
    { name: 'xmlstarlet sel', cmd: 'xmlstarlet', args: ['sel', '-T', '-t', '-m', ROWS, '-v', 'mac/@address', '-n', one] },
    { name: 'domfleet query', cmd: BIN, args: ['query', '--no-cache', 'bridged-nics', one] },
  ]));
  if (process.env.BENCH_100K) {
    const dir = generateFleet(join(OUT, 'fleet-100000'), 100000);
    console.error('query, 100000 files (memory)…');
    const r = timed(BIN, ['query', '--no-cache', 'bridged-nics', dir]);
    rows.push({ label: 'query bridged-nics, 100000 files (memory check)', name: 'domfleet query (cold)', wall: r.wall, rss: r.rss, ratio: NaN });
  }
  if (process.env.BENCH_ONLY !== 'query') rows.push(...benchLive({ OUT, BIN, timed, have }));
  if (process.env.BENCH_ONLY !== 'query') rows.push(...benchValidate({ OUT, BIN, compare, generateFleet, fleetFiles, have }));
  if (process.env.BENCH_ONLY !== 'query') rows.push(...await benchNormalize({ OUT, BIN, compare, pairedRatio, timed, generateFleet, fleetFiles, have, SAXON_JAR }));

  const doc = join(ROOT, 'docs', 'benchmarks.md');
  const text = readFileSync(doc, 'utf8');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  let results = `<!-- results:start -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}; ${RUNS} paired runs each.\n\n${table(rows)}\n`;
  if (process.env.BENCH_ONLY === 'query') {
    // Keep the normalize rows of the last full run rather than dropping them.
    const previous = /<!-- results:start -->([\s\S]*)<!-- results:end -->/.exec(text)?.[1] ?? '';
    const kept = previous.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| query') && !line.startsWith('| measurement'));
    const when = /Measured (\d{4}-\d\d-\d\d)/.exec(previous)?.[1] ?? 'an earlier run';
    const note = /Normalize rows from[^\n]*/.exec(previous)?.[0] ?? `Normalize rows from the full run of ${when} (BENCH_ONLY=query skipped them this time):`;
    if (kept.length) results += `\n${note}\n\n${table([]).split('\n').slice(0, 2).join('\n')}\n${kept.join('\n')}\n`;
  }
  const ratios = rows.filter((r) => r.targets).flatMap((r) => r.targets);
  if (ratios.length) results += `\nTargets, as medians of paired ratios from the same runs:\n\n${ratios.map((t) => `- ${t}`).join('\n')}\n`;
  results += '<!-- results:end -->';
  writeFileSync(doc, text.replace(/<!-- results:start -->[\s\S]*<!-- results:end -->/, results));
  console.log(table(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
