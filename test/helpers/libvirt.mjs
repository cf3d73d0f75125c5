// libvirt as the oracle: its real parser and writer through the test driver, no daemon.
// `virsh -c test:///default` keeps state for one connection only, so define and dump go together.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDomain } from '../../dist/core/read/parse.js';
import { scratch } from './run.mjs';
import { normalize } from 'domfleet';

const work = scratch('domfleet-virsh-');
let counter = 0;

function virshQuote(s) {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function domainName(bytes) {
  try {
    const doc = parseDomain('x', bytes);
    try { return String(doc.eval('string(/domain/name)')); } finally { doc.dispose(); }
  } catch {
    return null;
  }
}

/**
 * What libvirt writes for this definition (`dumpxml --inactive --security-info`), or
 * { rejected: message } when libvirt refuses it.
 */
export function libvirtDump(xml) {
  const bytes = typeof xml === 'string' ? Buffer.from(xml) : xml;
  const name = domainName(bytes);
  if (!name) return Promise.resolve({ rejected: 'no domain name' });
  const file = join(work, `d${counter++}.xml`);
  writeFileSync(file, bytes);
  const script = `define --file ${virshQuote(file)}; dumpxml --inactive --security-info --domain ${virshQuote(name)}`;
  return new Promise((resolve) => {
    const child = spawn('virsh', ['-q', '-c', 'test:///default', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', () => {
      if (err.trim() || !out.startsWith('<domain')) resolve({ rejected: err.trim().split('\n').slice(0, 2).join(' ') || 'no output' });
      else resolve({ xml: out });
    });
  });
}

/** Runs fn over items with at most `limit` running at once, results in input order. */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }));
  return results;
}

/** normalize(), with an error as a value: { text } or { error }. */
export function tryNormalize(input, options = {}) {
  try {
    return { text: normalize(input, options).text };
  } catch (e) {
    return { error: e.message };
  }
}

/** Lines where two libvirt runs on the same input differ: values libvirt generates (UUIDs, MACs …). */
export function generatedLines(a, b) {
  const la = a.split('\n');
  const lb = b.split('\n');
  if (la.length !== lb.length) return null;
  return new Set(la.flatMap((line, i) => (line === lb[i] ? [] : [i])));
}

/** Whether two texts are equal but for the masked line numbers. */
export function sameModulo(a, b, masked) {
  const la = a.split('\n');
  const lb = b.split('\n');
  return la.length === lb.length && la.every((line, i) => line === lb[i] || masked.has(i));
}
