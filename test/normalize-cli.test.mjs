// `domfleet normalize` and `domfleet diff` as a user runs them: modes, exit codes, atomic
// in-place writes (also under SIGKILL), mirrored output trees, bad input, the library API.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { domfleet, hasCommand, scratch, EXAMPLES } from './helpers/run.mjs';
import { libvirtDump } from './helpers/libvirt.mjs';
import { normalize, diff } from 'domfleet';

function copyFleet() {
  const dir = scratch();
  cpSync(EXAMPLES, dir, { recursive: true });
  return dir;
}

function xmlFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.xml')).sort().map((f) => join(dir, f));
}

describe('normalize command line', () => {
  it('one file to stdout; a document on stdin to stdout', () => {
    const file = join(EXAMPLES, 'host-b', 'kvm-db01.xml');
    const r = domfleet(['normalize', file]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, normalize(readFileSync(file)).text);
    assert.match(r.stdout, /<memory unit='KiB'>16777216<\/memory>/);
    const s = domfleet(['normalize'], { input: readFileSync(file, 'utf8') });
    assert.equal(s.stdout, r.stdout);
    assert.equal(domfleet(['normalize', EXAMPLES]).code, 2, 'several files need a mode');
  });

  it('--check exits 1 and lists files before --in-place, 0 after; normal files are not touched', () => {
    const dir = copyFleet();
    const before = domfleet(['normalize', '--check', dir]);
    assert.equal(before.code, 1);
    const listed = before.stdout.trim().split('\n');
    assert.ok(listed.length >= 10);
    const normalAlready = xmlFiles(dir).filter((f) => !listed.includes(f));
    const stamps = new Map(normalAlready.map((f) => [f, statSync(f).mtimeMs]));
    chmodSync(listed[0], 0o640);
    const inPlace = domfleet(['normalize', '--in-place', dir]);
    assert.equal(inPlace.code, 0, inPlace.stderr);
    assert.equal(statSync(listed[0]).mode & 0o777, 0o640, 'file mode kept');
    for (const [f, t] of stamps) assert.equal(statSync(f).mtimeMs, t, `${f} was already normal and must not be rewritten`);
    const after = domfleet(['normalize', '--check', dir]);
    assert.equal(after.code, 0, after.stdout);
    assert.equal(after.stdout, '');
    assert.deepEqual(readdirSync(dir, { recursive: true }).filter((f) => f.includes('domfleet-tmp')), []);
  });

  it('--diff prints unified diffs that turn the file into its normal form', () => {
    const dir = copyFleet();
    const file = join(dir, 'host-a', 'xen-pv-web.xml');
    const r = domfleet(['normalize', '--diff', file]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^--- .*xen-pv-web\.xml\n\+\+\+ .*xen-pv-web\.xml\n@@ /);
    assert.match(r.stdout, /^-  <memory>524288<\/memory>$/m);
    assert.match(r.stdout, /^\+  <memory unit='KiB'>524288<\/memory>$/m);
    const check = domfleet(['normalize', '--check', '--diff', file]);
    assert.equal(check.code, 1);
    assert.equal(check.stdout, r.stdout);
  });

  it('files known to be normal skip the rules: the known-normal cache is consulted', () => {
    const dir = copyFleet();
    const cacheHome = scratch();
    const file = join(dir, 'host-b', 'kvm-db01.xml');
    assert.equal(domfleet(['normalize', '--check', file], { cacheHome }).code, 1);
    // Plant this (non-normal) file's hash among the known-normal ones: only a run that trusts the
    // cache now calls it normal; --no-cache still sees the truth.
    const known = readdirSync(join(cacheHome, 'domfleet')).find((f) => f.startsWith('normal-'));
    assert.ok(known, 'a normalize run records what it produced');
    const hash = createHash('sha1').update(readFileSync(file)).digest('base64url');
    appendFileSync(join(cacheHome, 'domfleet', known), `${hash}\n`);
    assert.equal(domfleet(['normalize', '--check', file], { cacheHome }).code, 0);
    assert.equal(domfleet(['normalize', '--check', '--no-cache', file], { cacheHome }).code, 1);
  });

  it('-o DIR writes a mirrored tree and leaves the inputs alone', () => {
    const out = scratch();
    const r = domfleet(['normalize', '-o', out, EXAMPLES]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of xmlFiles(EXAMPLES)) {
      const mirrored = join(out, f.slice(EXAMPLES.length + 1));
      assert.ok(existsSync(mirrored), mirrored);
      assert.equal(readFileSync(mirrored, 'utf8'), normalize(readFileSync(f)).text);
    }
  });

  it('--inactive strips runtime-only state of a live dump', () => {
    const r = domfleet(['normalize', '--inactive', join(EXAMPLES, 'host-b', 'kvm-app01-live.xml')]);
    assert.doesNotMatch(r.stdout, /id='7'|<alias|vnet3|\/dev\/pts|<label>/);
    assert.match(r.stdout, /<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'>/);
    const live = domfleet(['normalize', join(EXAMPLES, 'host-b', 'kvm-app01-live.xml')]);
    assert.match(live.stdout, /<domain type='kvm' id='7'>/);
  });

  it('bad files are reported, the rest still written, exit 2', () => {
    const dir = copyFleet();
    writeFileSync(join(dir, 'host-a', 'broken.xml'), "<domain type='kvm'>\n<name>x</name>\n<devices>\n");
    const r = domfleet(['normalize', '--in-place', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.xml:\d+: /);
    assert.equal(domfleet(['normalize', '--check', join(dir, 'host-b'), join(dir, 'host-c')]).code, 0);
  });

  it('an interrupted --in-place run (SIGKILL) leaves every file old or new, never half', async function () {
    this.timeout(120000);
    const dir = scratch();
    const sources = xmlFiles(EXAMPLES).filter((f) => normalize(readFileSync(f)).text !== readFileSync(f, 'utf8'));
    const originals = new Map();
    for (let i = 0; i < 400; i++) {
      const src = sources[i % sources.length];
      const target = join(dir, `h${i % 4}`, `vm${i}.xml`);
      cpSync(src, target);
      originals.set(target, { old: readFileSync(src, 'utf8'), normal: normalize(readFileSync(src)).text });
    }
    // Kill at different moments after rewriting is seen to have started, so the kill lands
    // while files are being replaced whatever the machine's speed.
    let midRun = 0;
    const files = [...originals.keys()];
    for (const extra of [0, 20, 60, 150, 300]) {
      const before = files.filter((f) => readFileSync(f, 'utf8') === originals.get(f).normal).length;
      await new Promise((resolve) => {
        const child = spawn(process.execPath, [join(EXAMPLES, '..', '..', 'bin', 'domfleet'), 'normalize', '--in-place', '-j', '1', dir], { stdio: 'ignore' });
        const poll = setInterval(() => {
          const done = files.filter((f) => readFileSync(f, 'utf8') === originals.get(f).normal).length;
          if (done > before) { clearInterval(poll); setTimeout(() => child.kill('SIGKILL'), extra); }
        }, 5);
        child.on('exit', () => { clearInterval(poll); resolve(); });
      });
      let changed = 0;
      for (const [file, { old, normal }] of originals) {
        const now = readFileSync(file, 'utf8');
        assert.ok(now === old || now === normal, `${file} is neither old nor new after a SIGKILL`);
        if (now === normal) changed++;
      }
      if (changed > 0 && changed < originals.size) midRun++;
      if (changed === originals.size) break;
    }
    assert.ok(midRun > 0, 'no kill landed while files were being rewritten: the test proved nothing');
  });
});

describe('normalize: blank text where libvirt keeps it', () => {
  it('a blank <title> and <description> keep their blanks, as libvirt writes them; a blank container does not', async function () {
    if (!hasCommand('virsh')) throw new Error('virsh is not installed (Debian libvirt-clients; .ci/run installs it)');
    const x = "<domain type='kvm'><name>blank</name><uuid>4b64b63a-4550-4f78-a2e6-b5277991c72f</uuid><title>  </title><description>   </description><memory>1048576</memory><os>\n  <type>hvm</type>\n  </os><features>\n  </features><devices>\n</devices></domain>";
    const y = await libvirtDump(x);
    assert.equal(y.rejected, undefined, y.rejected);
    assert.equal(normalize(y.xml).text, y.xml, 'fixed point');
    assert.equal((await libvirtDump(normalize(x).text)).xml, y.xml, 'meaning kept');
    assert.match(normalize(x).text, /<title>  <\/title>\n  <description>   <\/description>/);
  });
});

describe('diff command', () => {
  it('exit 0 for definitions that normalize the same, 1 with a unified diff otherwise, 2 on error', () => {
    const dir = scratch();
    const a = join(EXAMPLES, 'host-b', 'kvm-db01.xml');
    const b = join(dir, 'db01-reformatted.xml');
    writeFileSync(b, normalize(readFileSync(a)).text.replace(/'/g, '"').replace(/\n {2}/g, '\n\t'));
    const same = domfleet(['diff', a, b]);
    assert.equal(same.code, 0, same.stdout);
    assert.equal(same.stdout, '');
    const other = domfleet(['diff', a, join(EXAMPLES, 'host-b', 'kvm-web01.xml')]);
    assert.equal(other.code, 1);
    assert.match(other.stdout, /^-  <name>db01<\/name>$/m);
    assert.match(other.stdout, /^\+  <name>web01<\/name>$/m);
    assert.equal(domfleet(['diff', a, join(dir, 'missing.xml')]).code, 2);
    assert.equal(domfleet(['diff', a]).code, 2);
  });

  it('--inactive compares a live dump with its stored definition', () => {
    const live = join(EXAMPLES, 'host-b', 'kvm-app01-live.xml');
    const dir = scratch();
    const stored = join(dir, 'app01.xml');
    writeFileSync(stored, normalize(readFileSync(live), { inactive: true }).text);
    assert.equal(domfleet(['diff', live, stored]).code, 1);
    assert.equal(domfleet(['diff', '--inactive', live, stored]).code, 0);
  });

  it('library diff() returns the same verdict', () => {
    const a = join(EXAMPLES, 'host-b', 'kvm-web01.xml');
    const r = diff({ path: a }, { path: join(EXAMPLES, 'host-b', 'kvm-web02.xml') });
    assert.equal(r.same, false);
    assert.ok(r.hunks > 0);
    assert.equal(diff({ path: a }, { path: a }).same, true);
  });
});
