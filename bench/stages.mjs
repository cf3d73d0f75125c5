// Per-stage cost of normalize, one thread, per file: libxml2 vetting and decoding (parse, text for
// SaxonJS, <metadata>), SaxonJS's parse of that text, the rules (one transform call per batch of
// 64, as the fleet runs them), and the writer. `node bench/stages.mjs [DIR] [N]`; npm run bench
// prints the same into docs/benchmarks.md.
import { readFileSync } from 'node:fs';
import { generateFleet, fleetFiles } from './generate.mjs';
import { prepare, normalizeTrees } from '../dist/core/normalize/normalize.js';
import { saxonDocument } from '../dist/core/engines/saxon.js';
import { writeLibvirt } from '../dist/core/write/libvirt-writer.js';

export function measureStages(files, batch = 64) {
  const time = { vet: 0, parse: 0, rules: 0, write: 0 };
  let done = 0;
  // Warm up: load everything once, so the numbers are per file, not start-up.
  writeLibvirt(normalizeTrees([saxonDocument(prepare(files[0], readFileSync(files[0])).text)])[0]);
  for (let i = 0; i < files.length; i += batch) {
    const chunk = files.slice(i, i + batch).map((f) => readFileSync(f));
    let t = performance.now();
    const prepared = [];
    chunk.forEach((bytes, k) => { try { prepared.push(prepare(files[i + k], bytes)); } catch { /* bad file */ } });
    time.vet += performance.now() - t;
    t = performance.now();
    const trees = prepared.map((p) => saxonDocument(p.text));
    time.parse += performance.now() - t;
    t = performance.now();
    const results = normalizeTrees(trees);
    time.rules += performance.now() - t;
    t = performance.now();
    results.forEach((tree, k) => writeLibvirt(tree, { metadata: prepared[k].metadata }));
    time.write += performance.now() - t;
    done += prepared.length;
  }
  return Object.fromEntries(Object.entries(time).map(([k, v]) => [k, v / done]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? generateFleet('bench/out/fleet-2000', 2000);
  const files = fleetFiles(dir).slice(0, Number(process.argv[3] ?? 2000));
  const ms = measureStages(files);
  console.log(Object.entries(ms).map(([k, v]) => `${k} ${v.toFixed(3)} ms/file`).join(', '));
}
