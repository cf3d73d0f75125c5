// domfleet lint: each rule fires on the example of its page and not on the counter-example; the
// fast path (libxml2 XPath) gives what the rule modules give when run as the XSLT they are
// (SaxonJS); SARIF validates against the published schema; policy files, flags and exit codes;
// report's findings are lint's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { XmlDocument } from 'libxml2-wasm';
import { lint } from 'domfleet';
import { EXAMPLES, ROOT, domfleet, hasCommand, requireCorpus, scratch } from './helpers/run.mjs';
import { lintRules, referenceStylesheet } from '../dist/core/lint/rules.js';
import { createLintJob } from '../dist/core/lint/lint-job.js';
import { parseDomain } from '../dist/core/read/parse.js';
import { compiledStylesheet, saxon, textForSaxon } from '../dist/core/engines/saxon.js';

const RULES = lintRules();
const exampleFiles = () => ['host-a', 'host-b', 'host-c'].flatMap((h) => readdirSync(join(EXAMPLES, h)).map((f) => join(EXAMPLES, h, f)));

/** A rule page's examples: per section, the command line it names and the files of its xml blocks. */
function pageExamples(id) {
  const page = readFileSync(join(ROOT, 'docs', 'rules', `${id}.md`), 'utf8');
  const section = (title) => {
    const start = page.indexOf(`\n## ${title}\n`);
    assert.ok(start >= 0, `docs/rules/${id}.md has a "## ${title}" section`);
    const end = page.indexOf('\n## ', start + 4);
    const text = page.slice(start, end < 0 ? undefined : end);
    const args = /`domfleet lint ([^`]*) \.`/.exec(text)?.[1].split(' ').filter(Boolean) ?? [];
    const files = [...text.matchAll(/```xml\n([\s\S]*?)```/g)].map((m, i) => {
      const named = /^<!-- (\S+) -->\n/.exec(m[1]);
      return { path: named ? named[1] : `file${i + 1}.xml`, text: named ? m[1].slice(named[0].length) : m[1] };
    });
    assert.ok(files.length > 0, `docs/rules/${id}.md "${title}" has an example`);
    return { args, files };
  };
  return { fires: section('Fires'), quiet: section('Does not fire') };
}

function lintExample({ args, files }, id) {
  const dir = scratch();
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
  return domfleet(['lint', '--no-config', '--format', 'json', '--fail-on', 'note', '--only', id, ...args, dir]);
}

describe('lint', function () {
  this.timeout(600_000);

  describe('every rule fires on its page\'s example and not on the counter-example', () => {
    for (const rule of RULES) {
      it(`${rule.id} (${rule.severity})`, function () {
        if (rule.check === 'schema' && !hasCommand('virt-xml-validate')) throw new Error('libvirt\'s schemas are not installed (Debian libvirt0; .ci/run installs it)');
        const { fires, quiet } = pageExamples(rule.id);
        const hit = lintExample(fires, rule.id);
        assert.equal(hit.code, 1, hit.stderr);
        const found = JSON.parse(hit.stdout).findings;
        assert.ok(found.length > 0 && found.every((f) => f.rule === rule.id), hit.stdout);
        for (const f of found) {
          assert.equal(f.severity, rule.severity);
          assert.ok(f.file && f.line > 0 && f.domain && f.message, JSON.stringify(f));
          assert.equal(typeof f.host, 'string');
        }
        const miss = lintExample(quiet, rule.id);
        assert.equal(miss.code, 0, miss.stdout + miss.stderr);
        assert.deepEqual(JSON.parse(miss.stdout).findings, []);
      });
    }
  });

  describe('the fast path gives what the rule modules give as XSLT', () => {
    let reference;
    before(function () {
      const dir = scratch();
      const xsl = join(ROOT, 'stylesheets', `.lint-reference-${process.pid}.xsl`);
      writeFileSync(xsl, referenceStylesheet());
      try {
        execFileSync(process.execPath, [createRequire(import.meta.url).resolve('xslt3/xslt3.js'), `-xsl:${xsl}`, `-export:${join(dir, 'lint.sef.json')}`, '-nogo', '-relocate:on'], { stdio: 'pipe' });
      } finally {
        execFileSync('rm', ['-f', xsl]);
      }
      reference = compiledStylesheet(pathToFileURL(join(dir, 'lint.sef.json')).href);
    });

    it('on every corpus file and example, each rule\'s findings and facts are the same', function () {
      const corpus = requireCorpus(this);
      const files = [...corpus.map((c) => c.path), ...exampleFiles()];
      const ids = RULES.filter((r) => r.templates.length).map((r) => r.id);
      const job = createLintJob({ kind: 'lint', rules: ids, bridges: ['br0', 'virbr0'] });
      const differences = [];
      let compared = 0;
      let fired = 0;
      for (const file of files) {
        let doc;
        try {
          doc = parseDomain(file, readFileSync(file));
        } catch {
          continue; // unreadable files are input errors, not rule results
        }
        const bytes = readFileSync(file);
        const fast = job.lintDocument(doc, () => parseDomain(file, bytes));
        const out = saxon().transform({
          ...reference,
          sourceText: textForSaxon(doc, file),
          destination: 'serialized',
          stylesheetParams: { 'Q{urn:domfleet:lint}bridges': 'br0 virbr0' },
        }, 'sync').principalResult;
        doc.dispose();
        const xml = XmlDocument.fromString(out);
        for (const id of ids) {
          const ns = { lint: 'urn:domfleet:lint' };
          const mine = [
            ...fast.findings.filter((f) => f.rule === id).map((f) => `finding ${f.message}`),
            ...fast.facts.filter((f) => f.rule === id).map((f) => `fact ${f.key} | ${f.shown} | ${f.exempt} | ${f.storage}`),
          ].sort();
          const theirs = [
            ...xml.find(`/lint:results/lint:rule[@id='${id}']/lint:finding`, ns).map((n) => `finding ${n.attr('message').value}`),
            ...xml.find(`/lint:results/lint:rule[@id='${id}']/lint:fact`, ns).map((n) => `fact ${n.attr('key').value} | ${n.attr('shown')?.value ?? null} | ${n.attr('exempt')?.value === 'true'} | ${n.attr('storage')?.value ?? null}`),
          ].sort();
          if (JSON.stringify(mine) !== JSON.stringify(theirs)) differences.push(`${file} ${id}:\n  libxml2: ${mine.join('; ')}\n  SaxonJS: ${theirs.join('; ')}`);
          fired += mine.length;
        }
        xml.dispose();
        compared++;
      }
      job.dispose();
      assert.deepEqual(differences, []);
      assert.ok(compared > 250 && fired > 500, `${compared} files, ${fired} findings and facts`);
      this.test.title += ` (${compared} files, ${fired} findings and facts)`;
    });
  });

  it('vnc-open fires on exactly the consoles the saved query vnc-open lists without a password', function () {
    const corpus = requireCorpus(this);
    const files = [...corpus.map((c) => c.path), ...exampleFiles()];
    const q = domfleet(['query', '--format', 'json', 'vnc-open', ...files]);
    const listed = JSON.parse(q.stdout).filter((r) => r.value.password === 'no').map((r) => r.file).sort();
    const l = domfleet(['lint', '--no-config', '--format', 'json', '--only', 'vnc-open', ...files]);
    const linted = JSON.parse(l.stdout).findings.map((f) => f.file).sort();
    assert.ok(listed.length > 3);
    assert.deepEqual(linted, listed);
  });

  it('SARIF 2.1.0 that validates against the published schema, with rule docs and lines', () => {
    const r = domfleet(['lint', '--no-config', '--format', 'sarif', '--enable', 'schema', '--bridges', 'br0', EXAMPLES]);
    assert.equal(r.code, 1, r.stderr);
    const log = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));
    // The published schema's "language" pattern has a stray ] that unicode regexps reject.
    const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    const valid = ajv.validate(schema, log);
    assert.ok(valid, JSON.stringify(ajv.errors?.slice(0, 5), null, 2));
    const [runEntry] = log.runs;
    const ids = runEntry.tool.driver.rules.map((x) => x.id);
    assert.ok(ids.includes('schema') && ids.includes('duplicate-mac') && ids.includes('unknown-bridge'));
    for (const rule of runEntry.tool.driver.rules) {
      assert.match(rule.helpUri, new RegExp(`/docs/rules/${rule.id}\\.md$`));
      assert.ok(readFileSync(new URL(rule.helpUri), 'utf8').startsWith(`# ${rule.id}\n`));
    }
    assert.ok(runEntry.results.length > 10);
    for (const result of runEntry.results) {
      assert.equal(ids[result.ruleIndex], result.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(result.level));
      assert.match(result.locations[0].physicalLocation.artifactLocation.uri, /\.xml$/);
    }
    assert.ok(runEntry.results.every((x) => x.locations[0].physicalLocation.region.startLine > 0));
    // A broken log must fail the same check, or the check proves nothing.
    assert.equal(ajv.validate(schema, { ...log, runs: [{ ...runEntry, results: [{ level: 'fatal' }] }] }), false);
  });

  it('--only, --disable, --fail-on and exit codes; unknown rule ids are usage errors', () => {
    const all = domfleet(['lint', '--no-config', '--format', 'json', EXAMPLES]);
    assert.equal(all.code, 1);
    const rules = new Set(JSON.parse(all.stdout).findings.map((f) => f.rule));
    assert.ok(rules.has('duplicate-mac') && rules.has('legacy-syntax') && rules.has('vnc-open'), [...rules].join());
    const notes = domfleet(['lint', '--no-config', '--only', 'legacy-syntax', EXAMPLES]);
    assert.equal(notes.code, 0, 'notes do not reach the default threshold (warning)');
    assert.match(notes.stdout, /: note: .* \[legacy-syntax\]\n/);
    assert.equal(domfleet(['lint', '--no-config', '--only', 'legacy-syntax', '--fail-on', 'note', EXAMPLES]).code, 1);
    const errorsOnly = domfleet(['lint', '--no-config', '--fail-on', 'error', '--disable', 'vnc-open,duplicate-mac', '--format', 'json', EXAMPLES]);
    assert.equal(errorsOnly.code, 0, errorsOnly.stdout);
    assert.ok(!JSON.parse(errorsOnly.stdout).findings.some((f) => f.rule === 'vnc-open' || f.rule === 'duplicate-mac'));
    for (const args of [['--only', 'no-such-rule'], ['--disable', 'vnc-opn'], ['--fail-on', 'fatal'], ['--format', 'xml'], ['--only', 'unknown-bridge']]) {
      const r = domfleet(['lint', '--no-config', ...args, EXAMPLES]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^domfleet: .*\n(Try 'domfleet lint --help'\.\n)?$/, r.stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });

  it('a policy file in the fleet\'s folder (or above) sets disabled rules, severities, bridges and the threshold', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'defs', 'kvm01'), { recursive: true });
    for (const f of exampleFiles()) writeFileSync(join(dir, 'defs', 'kvm01', f.split('/').pop()), readFileSync(f));
    writeFileSync(join(dir, '.domfleet.json'), JSON.stringify({ lint: { disable: ['legacy-syntax'], severity: { 'vnc-open': 'note' }, bridges: ['br0'], failOn: 'error' } }));
    const r = domfleet(['lint', '--format', 'json', join(dir, 'defs')]);
    const out = JSON.parse(r.stdout);
    assert.equal(out.config, join(dir, '.domfleet.json'));
    assert.ok(!out.findings.some((f) => f.rule === 'legacy-syntax'));
    assert.ok(out.findings.filter((f) => f.rule === 'vnc-open').every((f) => f.severity === 'note'));
    assert.ok(out.findings.some((f) => f.rule === 'unknown-bridge'), 'bridges from the policy switch unknown-bridge on');
    assert.equal(out.failOn, 'error');
    assert.equal(r.code, out.findings.some((f) => f.severity === 'error') ? 1 : 0);
    // --no-config ignores it; flags win over it.
    assert.ok(JSON.parse(domfleet(['lint', '--no-config', '--format', 'json', join(dir, 'defs')]).stdout).findings.some((f) => f.rule === 'legacy-syntax'));
    assert.equal(JSON.parse(domfleet(['lint', '--format', 'json', '--fail-on', 'note', join(dir, 'defs')]).stdout).failOn, 'note');
    // A typo in the policy is an error, not a rule quietly switched back on.
    writeFileSync(join(dir, '.domfleet.json'), JSON.stringify({ lint: { disabled: ['legacy-syntax'] } }));
    const typo = domfleet(['lint', join(dir, 'defs')]);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown key "lint\.disabled"/);
    writeFileSync(join(dir, '.domfleet.json'), JSON.stringify({ lint: { disable: ['legacy-syntaxx'] } }));
    assert.match(domfleet(['lint', join(dir, 'defs')]).stderr, /unknown rule id\(s\) legacy-syntaxx/);
    // A misspelt section, or no object at all, is as much a typo.
    for (const text of ['{"lnt": {}}', '[]']) {
      writeFileSync(join(dir, '.domfleet.json'), text);
      const r = domfleet(['lint', join(dir, 'defs')]);
      assert.equal(r.code, 2, text);
      assert.match(r.stderr, /unknown key "lnt"|not a domfleet config/);
    }
    // One run, one policy: an input under it and one under none is an error.
    writeFileSync(join(dir, '.domfleet.json'), JSON.stringify({ lint: {} }));
    const elsewhere = scratch();
    writeFileSync(join(elsewhere, 'vm.xml'), readFileSync(join(EXAMPLES, 'host-c', 'kvm-minimal.xml')));
    const mixed = domfleet(['lint', join(dir, 'defs'), elsewhere]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /governed by different lint policies \(.*\.domfleet\.json, none\)/);
  });

  it('where cross-file facts meet: names per host (a folder without host label is one host), local disks per host, shared storage and network disks fleet-wide', () => {
    const dir = scratch();
    const vm = (name, uuid, disk) => `<domain type='kvm'><name>${name}</name><uuid>${uuid}</uuid><memory unit='KiB'>1048576</memory><os><type>hvm</type></os><devices>${disk}</devices></domain>`;
    const file = (path) => `<disk type='file' device='disk'><source file='${path}'/><target dev='vda' bus='virtio'/></disk>`;
    const rbd = `<disk type='network' device='disk'><source protocol='rbd' name='pool/data'/><target dev='vdb' bus='virtio'/></disk>`;
    for (const [host, n] of [['kvm01', 1], ['kvm02', 2]]) {
      mkdirSync(join(dir, host));
      writeFileSync(join(dir, host, 'web.xml'), vm('web', `6a1b2c3d-0000-4000-8000-00000000000${n}`, file('/var/lib/libvirt/images/web.qcow2') + file('/mnt/nfs/vms/web-data.img').replace('vda', 'vdc') + rbd));
    }
    const findings = (args) => JSON.parse(domfleet(['lint', '--no-config', '--format', 'json', '--only', 'duplicate-name,shared-disk-without-shareable', ...args]).stdout).findings;
    // Two folders given apart: each is a host of its own (its files have no host label).
    const apart = findings([join(dir, 'kvm01'), join(dir, 'kvm02')]);
    assert.deepEqual(apart.filter((f) => f.rule === 'duplicate-name'), []);
    const disks = (list) => list.filter((f) => f.rule === 'shared-disk-without-shareable').map((f) => f.message.split(' is writable')[0]).sort();
    // The local path is two files on two hosts; the rbd image is one image whichever host uses it.
    assert.deepEqual(disks(apart), ['rbd image pool/data (vdb)', 'rbd image pool/data (vdb)']);
    assert.deepEqual(disks(findings([dir])), ['rbd image pool/data (vdb)', 'rbd image pool/data (vdb)']);
    // A folder every host mounts: images there are one image fleet-wide.
    assert.deepEqual(disks(findings(['--shared-storage', '/mnt/nfs/vms', dir])), ['disk image /mnt/nfs/vms/web-data.img (vdc)', 'disk image /mnt/nfs/vms/web-data.img (vdc)', 'rbd image pool/data (vdb)', 'rbd image pool/data (vdb)']);
    // One folder, one host: the same name twice is a finding.
    writeFileSync(join(dir, 'kvm01', 'web-copy.xml'), vm('web', '6a1b2c3d-0000-4000-8000-000000000009', ''));
    assert.equal(findings([join(dir, 'kvm01')]).filter((f) => f.rule === 'duplicate-name').length, 2);
  });

  it('--enable switches back on a rule the policy disables', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'web.xml'), readFileSync(join(EXAMPLES, 'host-b', 'kvm-web02.xml')));
    writeFileSync(join(dir, '.domfleet.json'), JSON.stringify({ lint: { disable: ['vnc-open'] } }));
    const rules = (args) => JSON.parse(domfleet(['lint', '--format', 'json', ...args, dir]).stdout).findings.map((f) => f.rule);
    assert.ok(!rules([]).includes('vnc-open'));
    assert.ok(rules(['--enable', 'vnc-open']).includes('vnc-open'));
  });

  it('bad files get one line each and the rest of the fleet is still linted (exit 2)', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.xml'), readFileSync(join(EXAMPLES, 'host-b', 'kvm-web01.xml')));
    writeFileSync(join(dir, 'b.xml'), readFileSync(join(EXAMPLES, 'host-c', 'kvm-windows.xml')));
    writeFileSync(join(dir, 'broken.xml'), "<domain type='kvm'><name>x</name>");
    writeFileSync(join(dir, 'empty.xml'), '');
    const r = domfleet(['lint', '--no-config', dir]);
    assert.equal(r.code, 2);
    const json = JSON.parse(domfleet(['lint', '--no-config', '--format', 'json', dir]).stdout);
    assert.deepEqual(json.fileErrors.map((e) => e.path.split('/').pop()).sort(), ['broken.xml', 'empty.xml'], 'unreadable files are in the JSON too');
    assert.match(r.stderr, /broken\.xml:1: /);
    assert.match(r.stderr, /empty\.xml:1: empty file/);
    assert.match(r.stdout, /a\.xml:\d+: error: MAC address 52:54:00:1a:2b:01 is also used by .*b\.xml:\d+\) \[duplicate-mac\]/);
    for (const line of r.stdout.trim().split('\n')) assert.match(line, /^\S+:\d*: (error|warning|note): .* \[[a-z-]+\]$/);
  });

  it('the library gives typed findings; report\'s findings are lint\'s', async () => {
    const result = await lint(EXAMPLES, { config: false });
    assert.ok(result.findings.length > 10);
    for (const f of result.findings) assert.deepEqual(Object.keys(f).sort(), ['domain', 'file', 'host', 'line', 'message', 'rule', 'severity']);
    assert.equal(result.failed, true);
    const r = domfleet(['report', '--format', 'json', '-o', '-', EXAMPLES], { cwd: ROOT });
    assert.equal(r.code, 0, 'report exits 0 whatever it finds');
    assert.deepEqual(JSON.parse(r.stdout).findings, JSON.parse(domfleet(['lint', '--format', 'json', EXAMPLES]).stdout).findings);
  });

  it('docs/lint.md counts per rule are what lint finds in the corpus', function () {
    const corpus = requireCorpus(this);
    const r = domfleet(['lint', '--no-config', '--format', 'json', '--enable', 'schema', ...corpus.map((c) => c.path)]);
    const counts = new Map();
    for (const f of JSON.parse(r.stdout).findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
    const page = readFileSync(join(ROOT, 'docs', 'lint.md'), 'utf8');
    const table = new Map([...page.matchAll(/^\| \[([a-z-]+)\]\(rules\/[a-z-]+\.md\) \| \w+ \| (\d+) \| (\d+) \|$/gm)].map((m) => [m[1], Number(m[2])]));
    for (const rule of RULES.filter((x) => !x.needs)) assert.equal(table.get(rule.id), counts.get(rule.id) ?? 0, `${rule.id} in docs/lint.md`);
  });
});
