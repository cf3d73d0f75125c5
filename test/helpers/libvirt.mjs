// libvirt as the oracle: its real parser and writer through the test driver, no daemon.
// `virsh -c test:///default` keeps state for one connection only, so define and dump go together.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDomain } from '../../dist/core/read/parse.js';
import { scratch } from './run.mjs';

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
