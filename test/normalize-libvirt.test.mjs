// libvirt is the reference: its real parser and writer (test driver) against `normalize` on every
// corpus file and every example. Properties, as issue #3 states them:
//   fixed point   y = libvirt(x)             → normalize(y) === y
//   meaning kept  libvirt(normalize(x))       === libvirt(x)  (modulo values libvirt generates)
//   idempotent    normalize(normalize(x))     === normalize(x)  (every file, accepted or not)
// A file that fails a property must be listed with its reason in docs/normalize.md, and a listed
// file that no longer fails is an error too, so the list stays true.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generatedLines, libvirtDump, mapLimit, sameModulo, tryNormalize } from './helpers/libvirt.mjs';
import { requireCorpus, hasCommand, ROOT, CORPUS, EXAMPLES, run } from './helpers/run.mjs';

const PROPERTIES = ['fixed-point', 'meaning', 'idempotent', 'example'];

/** Rows of the exceptions table in docs/normalize.md: `| file | property | reason |`. */
function listedExceptions() {
  const doc = readFileSync(join(ROOT, 'docs', 'normalize.md'), 'utf8');
  const section = doc.split('## Exceptions')[1] ?? '';
  const rows = new Map();
  for (const line of section.split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*([a-z-]+)\s*\|\s*(.+?)\s*\|$/.exec(line);
    if (m && PROPERTIES.includes(m[2])) rows.set(`${m[1]} ${m[2]}`, m[3]);
  }
  return rows;
}

function label(path) {
  return path.startsWith(CORPUS) ? relative(CORPUS, path) : relative(ROOT, path);
}

const DRIVER_ADDED = [
  // The test driver's own NIC names, drive addresses and implicit controllers, default video and
  // generated MACs: a real driver adds its own, and nothing offline can know them.
  /^\s*<target dev='testnet\d+'\/>$/,
  /^\s*<address type='drive' controller='\d+' bus='\d+' target='\d+' unit='\d+'\/>$/,
  /^\s*<controller type='(ide|sata|fdc|scsi|virtio-serial|usb|pci|ccid)' index='0'( model='[^']+')?\/>$/,
  /^\s*<video>$/, /^\s*<model type='(cirrus|xen)' vram='\d+' heads='1' primary='yes'\/>$/, /^\s*<\/video>$/,
  /^\s*<mac address='52:54:00:[0-9a-f:]{8}'\/>$/,
];

/**
 * libvirt's output minus what only its driver decides (lines of the kinds above that ours does
 * not have), for comparing with normalize offline.
 */
function withoutDriverAdditions(libvirtXml, input, ours) {
  const oursLines = new Set(ours.split('\n'));
  let lines = libvirtXml.split('\n').filter((l) => oursLines.has(l) || !DRIVER_ADDED.some((re) => re.test(l)));
  if (!/<type[^>]*arch=/.test(input)) lines = lines.map((l) => l.replace(/^(\s*<type) arch='[^']*'( machine='[^']*')?>/, '$1>'));
  if (/<loader>/.test(input)) lines = lines.map((l) => l.replace("<loader type='rom'>", '<loader>'));
  // The console target type a Xen PV guest gets is the driver's choice (test: serial, libxl: xen).
  if (/type=['"]xen['"]/.test(input) && !/<type[^>]*>hvm</.test(input)) {
    lines = lines.join('\n').replace(/<console type='pty'>\n\s*<target type='serial' port='0'\/>\n\s*<\/console>/g, "<console type='pty'/>").split('\n');
  }
  return lines.join('\n');
}

describe('normalize against libvirt', function () {
  this.timeout(600000);
  const results = [];
  let exceptions;

  before(async function () {
    const corpus = requireCorpus(this);
    if (!hasCommand('virsh')) throw new Error('virsh is not installed (Debian libvirt-clients; .ci/run installs it)');
    exceptions = listedExceptions();
    const examples = run('find', [EXAMPLES, '-name', '*.xml']).stdout.trim().split('\n').sort();
    const files = [...corpus.map((c) => c.path), ...examples];
    results.push(...await mapLimit(files, 3, async (path) => {
      const x = readFileSync(path);
      const r = { path, label: label(path), example: path.startsWith(EXAMPLES) };
      const nx = tryNormalize(x, { path });
      r.normalizeError = nx.error;
      if (nx.text !== undefined) r.idempotent = tryNormalize(nx.text).text === nx.text;
      const y = await libvirtDump(x);
      r.rejected = y.rejected;
      if (y.xml === undefined) return r;
      r.fixed = tryNormalize(y.xml).text === y.xml;
      if (nx.text === undefined) return r;
      const y2 = await libvirtDump(nx.text);
      if (y2.xml === y.xml) r.meaning = true;
      else if (y2.xml !== undefined) {
        const again = await libvirtDump(x);
        const masked = generatedLines(y.xml, again.xml ?? '');
        r.meaning = masked !== null && masked.size > 0 && sameModulo(y.xml, y2.xml, masked);
      } else r.meaning = false;
      if (r.example) {
        const inactive = (tryNormalize(x, { path, inactive: true }).text ?? '').replace(/^\s*<!--.*-->\n/gm, '');
        r.exampleMatch = withoutDriverAdditions(y.xml, x.toString(), inactive) === inactive;
        r.libvirt = y.xml;
        r.normalized = inactive;
      }
      return r;
    }));
    const accepted = results.filter((r) => r.rejected === undefined);
    const pct = (n, d) => `${(100 * n / d).toFixed(1)} % (${n}/${d})`;
    console.log(`\n      libvirt accepts ${accepted.length} of ${results.length} files`);
    console.log(`      fixed point:  ${pct(accepted.filter((r) => r.fixed).length, accepted.length)}`);
    console.log(`      meaning kept: ${pct(accepted.filter((r) => r.meaning).length, accepted.length)}`);
    console.log(`      idempotent:   ${pct(results.filter((r) => r.idempotent).length, results.length)}\n`);
  });

  function check(property, failing) {
    const failed = failing.map((r) => r.label);
    const unlisted = failed.filter((f) => !exceptions.has(`${f} ${property}`));
    assert.deepEqual(unlisted, [], `failing ${property} and not listed in docs/normalize.md`);
    const stale = [...exceptions.keys()].filter((k) => k.endsWith(` ${property}`)).map((k) => k.slice(0, -property.length - 1))
      .filter((f) => !failed.includes(f));
    assert.deepEqual(stale, [], `listed in docs/normalize.md for ${property} but passing now: remove them`);
  }

  it('normalizes every corpus file that libvirt accepts without an error', () => {
    const broken = results.filter((r) => r.rejected === undefined && r.normalizeError).map((r) => `${r.label}: ${r.normalizeError}`);
    assert.deepEqual(broken, []);
  });
  it('fixed point: normalize(libvirt(x)) is libvirt(x) byte for byte', () => {
    check('fixed-point', results.filter((r) => r.rejected === undefined && !r.fixed));
  });
  it('meaning kept: libvirt(normalize(x)) equals libvirt(x), modulo values libvirt generates', () => {
    check('meaning', results.filter((r) => r.rejected === undefined && !r.meaning));
  });
  it('idempotent: normalize(normalize(x)) equals normalize(x) for every file', () => {
    check('idempotent', results.filter((r) => r.normalizeError === undefined && !r.idempotent));
  });
  it('a CPU topology without dies is written with dies=\'1\', as libvirt does (found by a first-time user)', async () => {
    const xml = "<domain type='kvm'><name>topo</name><uuid>6a1b2c3d-0000-4000-8000-00000000aaaa</uuid><memory unit='KiB'>1048576</memory><vcpu placement='static'>2</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><cpu><topology sockets='2' cores='1' threads='1'/></cpu><devices/></domain>";
    const theirs = await libvirtDump(xml);
    assert.equal(theirs.rejected, undefined, theirs.rejected);
    assert.match(theirs.xml, /<topology sockets='2' dies='1' cores='1' threads='1'\/>/);
    assert.equal(tryNormalize(xml).text, theirs.xml);
  });

  it("examples normalize (--inactive) to libvirt's output, apart from what only a driver adds", () => {
    const failing = results.filter((r) => r.example && r.rejected === undefined && !r.exampleMatch);
    for (const r of failing) console.log(`      ${r.label}:\n${r.libvirt}\n----- ours:\n${r.normalized}`);
    check('example', failing);
    assert.ok(results.filter((r) => r.example && r.exampleMatch).length >= 10, 'most examples must match');
  });
});
