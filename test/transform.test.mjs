// domfleet transform: built-ins judged by libvirt and its schema, user stylesheets (XSLT 1.0 as
// Terraform users wrote them) compared with xsltproc, compile cache, errors, check/in-place.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { normalize, transform } from 'domfleet';
import { builtinTransforms, checkParams, resolveTransform, transformFile } from '../dist/core/transform/transform.js';
import { libvirtDump, mapLimit } from './helpers/libvirt.mjs';
import { domfleet, hasCommand, run, scratch, requireCorpus, ROOT, EXAMPLES, CORPUS } from './helpers/run.mjs';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'transform');

// Parameters for each built-in, and what must be true of a result it changed.
const BUILTINS = {
  'nic-model': { params: { model: 'e1000' }, check: (x) => !/<model type='virtio'\/>\n\s*<\/interface>/.test(x) },
  'disk-bus': { params: { from: 'ide', to: 'virtio' }, check: (x) => !/<target dev='hd[a-z]' bus='ide'\/>\n\s*(<[^/]|<\/disk>)/.test(x.replace(/<disk type='[^']+' device='cdrom'>[\s\S]*?<\/disk>/g, '')) },
  'disk-cache': { params: { cache: 'none', io: 'native' }, check: (x) => /cache='none' io='native'/.test(x) },
  'add-video': { params: { model: 'virtio' }, check: (x) => /<video>\n\s*<model type='virtio'/.test(x) },
  'add-channel': { params: { kind: 'guest-agent' }, check: (x) => /name='org.qemu.guest_agent.0'/.test(x) },
  'add-tablet': { params: {}, check: (x) => /<input type='tablet' bus='usb'\/>/.test(x) },
  'cpu-mode': { params: { mode: 'host-passthrough' }, check: (x) => /<cpu mode='host-passthrough'/.test(x) },
  virtiofs: { params: { source: '/srv/share', target: 'share' }, check: (x) => /<driver type='virtiofs'\/>/.test(x) && /<access mode='shared'\/>/.test(x) },
  'remove-graphics': { params: {}, check: (x) => !/<graphics/.test(x) },
  'boot-order': { params: { devices: 'cdrom,hd' }, check: (x) => /<boot dev='cdrom'\/>\n\s*<boot dev='hd'\/>/.test(x) && !/<boot order=/.test(x) },
  'set-memory': { params: { size: '3GiB' }, check: (x) => /<memory unit='KiB'>3145728<\/memory>/.test(x) },
  'set-vcpus': { params: { count: '6' }, check: (x) => /<vcpu placement='static'[^>]*>6<\/vcpu>/.test(x) },
};

function schemaValid(xml) {
  const file = join(scratch(), 'd.xml');
  writeFileSync(file, xml);
  return run('virt-xml-validate', [file, 'domain']).code === 0;
}

describe('built-in transforms', function () {
  this.timeout(600000);
  let files;
  before(function () {
    const corpus = requireCorpus(this);
    if (!hasCommand('virsh') || !hasCommand('virt-xml-validate')) throw new Error('virsh and virt-xml-validate are needed (.ci/run installs libvirt-clients)');
    files = [
      ...readdirSync(EXAMPLES, { recursive: true }).filter((f) => f.endsWith('.xml') && f.includes('kvm-')).map((f) => join(EXAMPLES, f)),
      ...corpus.filter((c) => c.local_path.startsWith('libvirt/qemu-out/') && c.schema === 'valid').map((c) => c.path),
    ];
  });

  it('every built-in is listed with its parameters and tested here', () => {
    assert.deepEqual(builtinTransforms().map((t) => t.name).sort(), Object.keys(BUILTINS).sort());
    const listing = domfleet(['transforms']).stdout;
    for (const name of Object.keys(BUILTINS)) assert.match(listing, new RegExp(`^${name} — `, 'm'));
  });

  for (const [name, { params, check }] of Object.entries(BUILTINS)) {
    it(`${name}: results are accepted by libvirt and still validate`, async () => {
      const info = resolveTransform(name);
      const runSpec = { sefPath: info.sefPath, stylesheet: info.xslPath, params: checkParams(info, params) };
      let changed = 0;
      const failures = [];
      const refused = [];
      await mapLimit(files, 3, async (path) => {
        const original = readFileSync(path);
        let text;
        try {
          ({ text } = transformFile(path, original, runSpec));
        } catch (e) {
          // A transform may refuse a file it cannot change safely, with a message saying why.
          if (/err:|refused|by hand/.test(e.message)) { refused.push(path); return; }
          throw e;
        }
        if (text === null) return;
        changed++;
        if (!check(text)) failures.push(`${path}: the transform did not do its job`);
        const dumped = await libvirtDump(text);
        if (dumped.rejected !== undefined) failures.push(`${path}: libvirt rejects it: ${dumped.rejected}`);
        else if (schemaValid(normalize(original).text) && !schemaValid(text)) failures.push(`${path}: no longer validates`);
      });
      assert.deepEqual(failures, []);
      assert.ok(changed >= 3, `${name} changed only ${changed} files: the test proves little`);
      assert.ok(refused.length <= 3, `${name} refused ${refused.length} files: ${refused.join(', ')}`);
    });
  }
});

describe('transform command line', () => {
  it('runs a Terraform-style XSLT 1.0 stylesheet unchanged, as xsltproc does', function () {
    if (!hasCommand('xsltproc')) throw new Error('xsltproc is needed (.ci/run installs it)');
    const xsl = join(FIXTURES, 'terraform-style.xsl');
    for (const f of ['host-b/kvm-web01.xml', 'host-c/kvm-windows.xml', 'host-a/xen-hvm-win.xml']) {
      const input = join(EXAMPLES, f);
      const ours = domfleet(['transform', xsl, input]);
      assert.equal(ours.code, 0, ours.stderr);
      const reference = normalize(Buffer.from(run('xsltproc', [xsl, input]).stdout)).text;
      // Changed means changed in meaning: where xsltproc's result normalizes to what the input
      // normalizes to, the input comes out as it is.
      const changed = reference !== normalize(readFileSync(input)).text;
      assert.equal(ours.stdout, changed ? reference : readFileSync(input, 'utf8'), f);
    }
  });

  it('an indent="yes" stylesheet over a mixed folder rewrites only the files it really changes', function () {
    if (!hasCommand('xsltproc')) throw new Error('xsltproc is needed (.ci/run installs it)');
    const xsl = join(FIXTURES, 'terraform-style.xsl');
    const dir = scratch();
    cpSync(EXAMPLES, dir, { recursive: true });
    const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.xml')).map((f) => join(dir, f));
    const before = new Map(files.map((f) => [f, { bytes: readFileSync(f), mtime: statSync(f).mtimeMs }]));
    // Which files the stylesheet changes in meaning, by xsltproc and normalize: the reference.
    const changes = new Set(files.filter((f) => normalize(Buffer.from(run('xsltproc', [xsl, f]).stdout)).text !== normalize(before.get(f).bytes).text));
    assert.ok(changes.size > 0 && changes.size < files.length, `a mixed folder: ${changes.size} of ${files.length} change`);
    const r = domfleet(['transform', xsl, '--in-place', dir]);
    assert.equal(r.code, 0, r.stderr);
    for (const f of files) {
      if (changes.has(f)) assert.notDeepEqual(readFileSync(f), before.get(f).bytes, `${f} should change`);
      else {
        assert.deepEqual(readFileSync(f), before.get(f).bytes, `${f} changed in layout only: left byte for byte`);
        assert.equal(statSync(f).mtimeMs, before.get(f).mtime, `${f} not even rewritten`);
      }
    }
    assert.equal(domfleet(['transform', xsl, '--check', dir]).code, 0, 'nothing left to change');
  });

  it('compiles a user stylesheet once: the second run reuses the cached SEF', () => {
    const cacheHome = scratch();
    const xsl = join(scratch(), 'mine.xsl');
    cpSync(join(FIXTURES, 'terraform-style.xsl'), xsl);
    const input = join(EXAMPLES, 'host-b', 'kvm-web01.xml');
    const first = domfleet(['transform', '-v', xsl, input], { cacheHome });
    assert.match(first.stderr, /mine\.xsl: compiled \(/);
    const sef = /\((.*\.sef\.json)\)/.exec(first.stderr)[1];
    const stamp = statSync(sef).mtimeMs;
    const second = domfleet(['transform', '-v', xsl, input], { cacheHome });
    assert.match(second.stderr, /taken from the cache/);
    assert.equal(statSync(sef).mtimeMs, stamp);
    assert.equal(second.stdout, first.stdout);
    writeFileSync(xsl, readFileSync(xsl, 'utf8').replace("'e1000'", "'rtl8139'"));
    assert.match(domfleet(['transform', '-v', xsl, input], { cacheHome }).stderr, /mine\.xsl: compiled/, 'an edited stylesheet is compiled again');
  });

  it('--check exits 1 before and 0 after --in-place; a transform that changes nothing leaves files untouched', () => {
    const dir = scratch();
    cpSync(EXAMPLES, dir, { recursive: true });
    const untouched = join(dir, 'host-b', 'kvm-web01.xml');
    const stamp = statSync(untouched).mtimeMs;
    assert.equal(domfleet(['transform', 'add-tablet', '--check', dir]).code, 1);
    const r = domfleet(['transform', 'add-tablet', '--in-place', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(domfleet(['transform', 'add-tablet', '--check', dir]).code, 0);
    assert.equal(statSync(untouched).mtimeMs, stamp, 'web01 already had a tablet');
  });

  it('a dynamic error names stylesheet, line and input; the other files are still done (exit 2)', () => {
    const out = scratch();
    const r = domfleet(['transform', join(FIXTURES, 'dynamic-error.xsl'), '-o', out, join(EXAMPLES, 'host-c')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /kvm-minimal\.xml: stylesheet .*dynamic-error\.xsl:\d+: .*tiny domains are not allowed/);
    assert.equal(readdirSync(join(out)).length, 4);
  });

  // Stylesheets whose result is not one domain: a clear error for each file, naming the stylesheet,
  // and nothing written.
  const notOneDomain = {
    'wrong root': ['<xsl:template match="/"><vm/></xsl:template>', /the result's root is <vm>, not <domain>/],
    'two roots': ['<xsl:template match="/"><xsl:copy-of select="domain"/><xsl:copy-of select="domain"/></xsl:template>', /2 root elements/],
    'no result': ['<xsl:template match="/"/>', /the result is empty/],
    'text': ['<xsl:template match="/">hello</xsl:template>', /text outside its root element|the result is empty/],
    'several documents': ['<xsl:template match="/"><xsl:result-document href="other.xml"><x/></xsl:result-document><xsl:copy-of select="."/></xsl:template>', /several documents/],
    'a domain libvirt rejects': ['<xsl:mode on-no-match="shallow-copy"/><xsl:template match="/domain/memory/text()">lots</xsl:template>', /not valid against libvirt's schema \(\/domain\/memory: .*\)/],
  };
  for (const [what, [body, message]] of Object.entries(notOneDomain)) {
    it(`a user stylesheet whose result is not one domain (${what}): one error per file, nothing written`, () => {
      const dir = scratch();
      cpSync(join(EXAMPLES, 'host-c'), dir, { recursive: true });
      const xsl = join(scratch(), 'bad.xsl');
      writeFileSync(xsl, `<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">${body}</xsl:stylesheet>`);
      const files = readdirSync(dir).map((f) => join(dir, f));
      const before = files.map((f) => readFileSync(f));
      const r = domfleet(['transform', xsl, '--in-place', dir]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, files.length, r.stderr);
      for (const line of lines) {
        assert.match(line, /bad\.xsl/);
        assert.match(line, message);
      }
      files.forEach((f, i) => assert.deepEqual(readFileSync(f), before[i], `${f} untouched`));
    });
  }

  it('a static error names the stylesheet and line, before any file is read (exit 2)', () => {
    const r = domfleet(['transform', join(FIXTURES, 'static-error.xsl'), EXAMPLES], { cacheHome: scratch() });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /static-error\.xsl: stylesheet does not compile: .*line 4/);
  });

  it('library transform() returns { text, changed }: the input as it was when nothing changes', () => {
    const web01 = readFileSync(join(EXAMPLES, 'host-b', 'kvm-web01.xml'));
    assert.deepEqual(transform('add-tablet', web01), { text: web01.toString('utf8'), changed: false }, 'web01 has a tablet already');
    assert.match(transform('nic-model', web01, { model: 'e1000e' }).text, /<model type='e1000e'\/>/);
    assert.throws(() => transform('nic-model', web01, {}), /needs --param model/);
  });

  it("--diff shows the transform's own change, and says when writing also normalizes the file", () => {
    const dir = scratch();
    const file = join(dir, 'web01.xml');
    // A file that is not in normal form: double quotes, no unit on memory.
    writeFileSync(file, readFileSync(join(EXAMPLES, 'host-b', 'kvm-web01.xml'), 'utf8').replace(/'/g, '"'));
    const r = domfleet(['transform', 'nic-model', '-p', 'model=e1000', '--diff', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--- .*web01\.xml\t\(normal form; writing also normalizes this file\)$/m);
    const changed = r.stdout.split('\n').filter((l) => /^[-+][^-+]/.test(l));
    assert.ok(changed.length > 0 && changed.every((l) => /<model type=/.test(l)), `only the model lines change:\n${changed.join('\n')}`);
    // The same file already normal: no such note.
    writeFileSync(file, normalize(readFileSync(file)).text);
    const again = domfleet(['transform', 'nic-model', '-p', 'model=e1000', '--diff', file]);
    assert.doesNotMatch(again.stdout, /writing also normalizes/);
    assert.match(again.stdout, /^\+ +<model type='e1000'\/>$/m);
  });

  it('a size needs its unit: set-memory refuses 4, 0, -1GiB, 4 furlongs and 512KiB, takes 4GiB', () => {
    const file = join(EXAMPLES, 'host-b', 'kvm-web01.xml');
    const refused = {
      '4': /size=4 has no unit/,
      '0KiB': /is not a positive size/,
      '-1GiB': /is not a positive size/,
      '4furlongs': /unknown unit 'furlongs'/,
      'lots': /is not a size such as 4GiB/,
      '512KiB': /below the least size the transform accepts, 1MiB/,
    };
    for (const [size, message] of Object.entries(refused)) {
      const r = domfleet(['transform', 'set-memory', '-p', `size=${size}`, file]);
      assert.equal(r.code, 2, `${size}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', `${size}: nothing written`);
    }
    for (const [size, kib] of [['4GiB', 4194304], [' 4GiB ', 4194304], ['512MiB', 524288], ['4096KiB', 4096], ['2G', 2097152], ['1000MB', 976563]]) {
      const r = domfleet(['transform', 'set-memory', '-p', `size=${size}`, file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`<memory unit='KiB'>${kib}</memory>`), size);
    }
    assert.match(domfleet(['transform', 'set-vcpus', '-p', 'count=0', file]).stderr, /count=0 is below 1/);
  });

  it('missing, unknown or ill-typed parameters are usage errors', () => {
    assert.match(domfleet(['transform', 'disk-bus', '-p', 'from=ide', EXAMPLES]).stderr, /needs --param to=/);
    assert.match(domfleet(['transform', 'set-vcpus', '-p', 'count=many', EXAMPLES]).stderr, /not a whole number/);
    assert.match(domfleet(['transform', 'nic-model', '-p', 'model=token-ring', EXAMPLES]).stderr, /is not one of/);
    assert.match(domfleet(['transform', 'add-tablet', '-p', 'x=1', EXAMPLES]).stderr, /has no parameter 'x'/);
    assert.equal(domfleet(['transform', 'no-such-transform', EXAMPLES]).code, 2);
  });
});
