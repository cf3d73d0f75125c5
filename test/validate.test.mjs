// domfleet validate: libvirt's RELAX NG schema in-process, compiled once per thread. The verdict
// must be virt-xml-validate's on every corpus file and example; the messages name file, line and
// element; exit codes grep style; text, JSON and SARIF.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'domfleet';
import { CORPUS, EXAMPLES, domfleet, hasCommand, requireCorpus, run, scratch } from './helpers/run.mjs';

const exampleFiles = () => ['host-a', 'host-b', 'host-c'].flatMap((h) => readdirSync(join(EXAMPLES, h)).map((f) => join(EXAMPLES, h, f)));

describe('validate', function () {
  this.timeout(600_000);

  it("gives virt-xml-validate's verdict on every corpus file and example", function () {
    const corpus = requireCorpus(this);
    if (!hasCommand('virt-xml-validate')) throw new Error('virt-xml-validate is not installed (Debian libvirt-clients; .ci/run installs it)');
    const files = [...corpus.map((c) => c.path), ...exampleFiles()];
    const r = domfleet(['validate', '--format', 'json', ...files]);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2, r.stderr);
    const ours = new Map(JSON.parse(r.stdout).files.map((f) => [f.file, f.valid]));
    const disagree = [];
    let valid = 0;
    let invalid = 0;
    for (const f of files) {
      const reference = run('virt-xml-validate', [f, 'domain']).code === 0;
      // Files domfleet cannot read as a domain (not well-formed, another root) are input errors: virt-xml-validate fails them too.
      const mine = ours.has(f) ? ours.get(f) : false;
      if (mine !== reference) disagree.push(`${f}: virt-xml-validate says ${reference ? 'valid' : 'invalid'}, domfleet ${mine ? 'valid' : ours.has(f) ? 'invalid' : 'unreadable'}`);
      if (reference) valid++; else invalid++;
    }
    assert.deepEqual(disagree, []);
    assert.ok(valid > 100 && invalid > 5, `a comparison over both verdicts (${valid} valid, ${invalid} invalid)`);
    this.test.title += ` (${files.length} files: ${valid} valid, ${invalid} invalid)`;
  });

  it('names file, line, element path, a plain message and the validator\'s own; exit 1 when some are invalid, 0 when all are valid', () => {
    const dir = scratch();
    const good = join(dir, 'good.xml');
    const bad = join(dir, 'bad.xml');
    writeFileSync(good, "<domain type='kvm'><name>g</name><memory>1048576</memory><os><type>hvm</type></os></domain>\n");
    writeFileSync(bad, "<domain type='kvm'>\n  <name>b</name>\n  <memory>1048576</memory>\n  <os><type>hvm</type></os>\n  <devices>\n    <disk type='file' device='floppy-drive'><source file='/x'/><target dev='fda'/></disk>\n  </devices>\n</domain>\n");
    const r = domfleet(['validate', dir]);
    assert.equal(r.code, 1, r.stderr);
    // libxml2 says only "Extra element devices in interleave": the child and attribute at fault are found.
    assert.match(r.stdout, /bad\.xml:6: \/domain\/devices\/disk\[1\]: attribute device='floppy-drive' of <disk> is not allowed there, or not with that value \(Extra element devices in interleave\)/);
    assert.doesNotMatch(r.stdout, /good\.xml/);
    assert.match(r.stderr, /1 of 2 file\(s\) invalid against .*schemas/);
    assert.equal(domfleet(['validate', good]).code, 0);
  });

  it('finds the one bad child among hundreds (searched by halves): the 301st disk', () => {
    const disks = Array.from({ length: 300 }, (_, i) => `<disk type='file' device='disk'><source file='/x${i}'/><target dev='vd${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}'/></disk>`);
    const file = join(scratch(), 'late.xml');
    writeFileSync(file, `<domain type='kvm'><name>many</name><memory>1048576</memory><os><type>hvm</type></os><devices>\n${disks.join('\n')}\n<disk type='file' device='floppy-drive'><source file='/bad'/><target dev='fdz'/></disk>\n</devices></domain>\n`);
    const r = domfleet(['validate', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /late\.xml:302: \/domain\/devices\/disk\[301\]: attribute device='floppy-drive' of <disk>/);
  });

  it('an unreadable file is exit 2 and the others are still judged; a missing schema folder is one usage line', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'broken.xml'), '<domain type="kvm"><name>x</name>');
    writeFileSync(join(dir, 'good.xml'), "<domain type='kvm'><name>g</name><memory>1048576</memory><os><type>hvm</type></os></domain>\n");
    const r = domfleet(['validate', '--format', 'json', dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /broken\.xml:1: /);
    assert.deepEqual(JSON.parse(r.stdout).files.map((f) => f.valid), [true]);
    const none = domfleet(['validate', '--schema-dir', scratch(), dir]);
    assert.equal(none.code, 2);
    assert.equal(none.stderr.trim().split('\n').length, 2, none.stderr);
    assert.match(none.stderr, /no domain\.rng there/);
  });

  it('SARIF 2.1.0: the schema rule with its help link, one result per problem with file and line', () => {
    const r = domfleet(['validate', '--format', 'sarif', join(EXAMPLES, 'host-a', 'xen-hvm-win.xml')]);
    assert.equal(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const [runEntry] = log.runs;
    assert.equal(runEntry.tool.driver.name, 'domfleet');
    assert.deepEqual(runEntry.tool.driver.rules.map((x) => x.id), ['schema']);
    assert.match(runEntry.tool.driver.rules[0].helpUri, /\/docs\/rules\/schema\.md$/, 'the schema rule\'s page, as lint has it');
    assert.ok(runEntry.results.length >= 2);
    for (const result of runEntry.results) {
      assert.equal(result.ruleId, 'schema');
      assert.match(result.locations[0].physicalLocation.artifactLocation.uri, /xen-hvm-win\.xml$/);
      assert.ok(result.locations[0].physicalLocation.region.startLine > 0);
    }
  });

  it('library: validate() gives { valid, problems }', () => {
    assert.deepEqual(validate("<domain type='kvm'><name>g</name><memory>1048576</memory><os><type>hvm</type></os></domain>"), { valid: true, problems: [] });
    const r = validate("<domain type='kvm'><name>g</name><memory>lots</memory><os><type>hvm</type></os></domain>");
    assert.equal(r.valid, false);
    assert.ok(r.problems.every((p) => p.message && p.detail));
  });
});
