// domfleet migrate: one before/after pair per rule (test/fixtures/migrate/RULE.{before,after}.xml),
// and libvirt as the judge of every Xen guest converted to KVM and every old-format example
// brought to modern form. UPDATE_EXPECTED=1 rewrites the .after.xml files; read the diff.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, migrationRules, normalize, query } from 'domfleet';
import { libvirtDump, mapLimit } from './helpers/libvirt.mjs';
import { domfleet, requireCorpus, hasCommand, run, scratch, ROOT, EXAMPLES, CORPUS } from './helpers/run.mjs';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'migrate');
const targetOf = (rule) => (rule.startsWith('kvm-') ? 'kvm' : 'modern');

function validates(xml) {
  const dir = scratch();
  const file = join(dir, 'domain.xml');
  writeFileSync(file, xml);
  const r = run('virt-xml-validate', [file, 'domain']);
  return { ok: r.code === 0, message: (r.stderr + r.stdout).trim() };
}

describe('migrate rules, one before/after pair each', () => {
  const rules = Object.keys(migrationRules()).sort();

  it('every rule has a fixture pair', () => {
    const missing = rules.filter((r) => !existsSync(join(FIXTURES, `${r}.before.xml`)));
    assert.deepEqual(missing, []);
    const orphans = readdirSync(FIXTURES).map((f) => f.replace(/\.(before\.xml|after\.xml|options\.json)$/, '')).filter((r) => !rules.includes(r));
    assert.deepEqual(orphans, [], 'fixtures for rules that do not exist');
  });

  for (const rule of rules) {
    it(`${rule}: fires on its before file and gives the after file, which libvirt accepts`, async function () {
      const before = readFileSync(join(FIXTURES, `${rule}.before.xml`));
      // A rule that fires only on an option (kvm-windows-virtio: --disk-bus virtio) says it in RULE.options.json.
      const optionsFile = join(FIXTURES, `${rule}.options.json`);
      const options = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {};
      const result = migrate(before, { to: targetOf(rule), force: true, ...options });
      assert.ok(result.changes.some((c) => c.rule === rule), `${rule} did not fire: ${JSON.stringify(result.changes)}`);
      assert.ok(result.changes.every((c) => c.explanation), 'every change comes with its explanation');
      const afterPath = join(FIXTURES, `${rule}.after.xml`);
      if (process.env.UPDATE_EXPECTED) writeFileSync(afterPath, result.text);
      assert.equal(result.text, readFileSync(afterPath, 'utf8'));
      if (hasCommand('virsh')) {
        const dumped = await libvirtDump(result.text);
        assert.equal(dumped.rejected, undefined, `libvirt rejects the result: ${dumped.rejected}`);
      }
    });
  }
});

describe('migrate against libvirt', function () {
  this.timeout(600000);
  let corpus;
  before(function () {
    corpus = requireCorpus(this);
    for (const tool of ['virsh', 'virt-xml-validate']) if (!hasCommand(tool)) throw new Error(`${tool} is not installed (.ci/run installs libvirt-clients)`);
  });

  it('every Xen guest libvirt accepts becomes a KVM guest libvirt accepts and the schema validates where the input did, with its MACs, with and without --force', async () => {
    const found = await query('xen-guests', [join(CORPUS, 'libvirt'), join(CORPUS, 'other'), EXAMPLES, FIXTURES], { cache: false });
    const xen = found.results.filter((f) => f.result?.items.length).map((f) => f.path);
    assert.ok(xen.length >= 30, `only ${xen.length} Xen guests found`);
    let converted = 0;
    const failures = [];
    const runs = xen.flatMap((path) => [{ path, force: true }, { path, force: false }]);
    await mapLimit(runs, 3, async ({ path, force }) => {
      const original = readFileSync(path);
      if ((await libvirtDump(original)).rejected !== undefined) return;
      let result;
      try {
        result = migrate(original, { to: 'kvm', force, path });
      } catch (e) {
        if (!force && e.name === 'UnsafeMigrationError') return; // refused without --force: its own test
        throw e;
      }
      const text = result.changed ? result.text : normalize(original).text;
      const problems = [];
      const dumped = await libvirtDump(text);
      if (dumped.rejected !== undefined) problems.push(`libvirt rejects it: ${dumped.rejected}`);
      const valid = validates(text);
      if (!valid.ok && validates(original.toString()).ok) problems.push(`schema: ${valid.message.split('\n')[0]}`);
      if (/dev='xvd|bus='xen'|<bootloader|>linux<\/type>|>xen<\/type>|type='xen'/.test(text)) problems.push('Xen constructs remain');
      const macs = (s) => [...s.toString().matchAll(/<mac address=['"]([^'"]+)['"]/g)].map((m) => m[1].toLowerCase()).sort();
      if (JSON.stringify(macs(original)) !== JSON.stringify(macs(text))) problems.push('MACs changed');
      if (problems.length) failures.push(`${path}${force ? ' (--force)' : ''}: ${problems.join('; ')}`);
      else converted++;
    });
    assert.deepEqual(failures, []);
    assert.ok(converted >= 50, `only ${converted} converted`);
  });

  it('nothing is dropped without a word: every element and attribute of a Xen guest is in the KVM result or named in --explain', async () => {
    const found = await query('xen-guests', [join(CORPUS, 'libvirt'), join(CORPUS, 'other'), EXAMPLES, FIXTURES], { cache: false });
    const xen = found.results.filter((f) => f.result?.items.length).map((f) => f.path);
    // Each element as parent/name, each attribute as parent/name@attribute.
    const names = (xml) => {
      const out = new Set();
      const stack = [];
      for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w:.-]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*(\/?)>/g)) {
        const [, close, name, attrs, selfClosing] = m;
        if (close) { stack.pop(); continue; }
        const key = `${stack[stack.length - 1] ?? ''}/${name}`;
        out.add(key);
        for (const a of attrs.matchAll(/([\w:.-]+)\s*=/g)) if (!a[1].startsWith('xmlns')) out.add(`${key}@${a[1]}`);
        if (!selfClosing) stack.push(name);
      }
      return out;
    };
    const silent = [];
    for (const path of xen) {
      const input = readFileSync(path, 'utf8');
      let result;
      try {
        result = migrate(input, { to: 'kvm', force: true });
      } catch {
        continue; // not a domain libvirt reads; the other tests cover refusals
      }
      const kept = names(result.text);
      const said = result.changes.map((c) => `${c.path} ${c.explanation}`).join('\n');
      for (const name of names(input)) {
        if (kept.has(name)) continue;
        const [element, attribute] = name.split('@');
        // Named: by its name in an explanation or a changed path; an attribute also by its
        // element's name, when the element itself is gone.
        const named = (word) => new RegExp(`(^|[^\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w-]|$)`, 'm').test(said);
        const local = (key) => key.slice(key.lastIndexOf('/') + 1);
        const ok = attribute ? named(attribute) || (!kept.has(element) && named(local(element))) : named(local(element));
        if (!ok) silent.push(`${path.replace(ROOT + '/', '').replace(CORPUS + '/', '')}: ${name}`);
      }
    }
    assert.deepEqual(silent, [], 'dropped without an explanation naming it');
  });

  it('old-format examples brought to modern form mean the same to libvirt (apart from clock sync, which libvirt ignored)', async () => {
    const old = readdirSync(join(EXAMPLES, 'host-a')).map((f) => join(EXAMPLES, 'host-a', f));
    for (const path of old) {
      const original = readFileSync(path);
      const result = migrate(original, { to: 'modern', path });
      assert.ok(result.changes.length > 0 && result.changed, `${path}: nothing migrated`);
      const before = await libvirtDump(original);
      const after = await libvirtDump(result.text);
      assert.equal(after.rejected, undefined, `${path}: ${after.rejected}`);
      let expected = before.xml;
      if (result.changes.some((c) => c.rule === 'clock-sync')) {
        const offset = /sync=['"]([^'"]+)['"]/.exec(original.toString())[1];
        expected = expected.replace("<clock offset='utc'/>", `<clock offset='${offset}'/>`);
      }
      assert.equal(after.xml, expected, path);
    }
  });

  it('already-modern files (libvirt output, modern examples) have nothing to migrate', () => {
    const modern = [
      ...readdirSync(join(CORPUS, 'libvirt', 'qemu-out')).map((f) => join(CORPUS, 'libvirt', 'qemu-out', f)),
      ...['host-b/kvm-web01.xml', 'host-b/kvm-db01.xml', 'host-c/kvm-uefi.xml', 'host-c/kvm-router.xml', 'host-c/kvm-windows.xml'].map((f) => join(EXAMPLES, f)),
    ];
    for (const path of modern) {
      for (const to of ['modern', 'kvm']) {
        const result = migrate(readFileSync(path), { to, path });
        assert.deepEqual(result.changes.map((c) => c.rule), [], `${path} --to ${to}`);
        assert.equal(result.changed, false);
        assert.equal(result.text, readFileSync(path, 'utf8'), 'nothing to migrate: the input as it was');
      }
    }
  });
});

describe('migrate command line', () => {
  it('refuses a PV guest booting a host kernel (exit 2, clear message) unless --force', () => {
    const file = join(EXAMPLES, 'host-a', 'xen-pv-db.xml');
    const refused = domfleet(['migrate', '--to', 'kvm', file]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /xen-pv-db\.xml: cannot migrate safely: Xen PV guest boots the host kernel \/boot\/vmlinuz-2\.6\.18-xen/);
    const forced = domfleet(['migrate', '--to', 'kvm', '--force', file]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /<cmdline>root=\/dev\/vda1 ro console=ttyS0<\/cmdline>/);
  });

  it('--explain lists each rule with its path, as text or JSON; nothing to migrate is said', () => {
    const text = domfleet(['migrate', '--to', 'kvm', '--explain', join(EXAMPLES, 'host-a', 'xen-pv-web.xml'), join(EXAMPLES, 'host-c', 'kvm-uefi.xml')]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^ {2}kvm-bootloader +\/domain +host-side <bootloader>/m);
    assert.match(text.stdout, /kvm-uefi\.xml: nothing to migrate/);
    const json = JSON.parse(domfleet(['migrate', '--to', 'modern', '--explain', '--format', 'json', join(EXAMPLES, 'host-a', 'xen-hvm-win.xml')]).stdout);
    assert.ok(json[0].changes.some((c) => c.rule === 'clock-sync' && c.path === '/domain/clock'));
  });

  it('one file that needs nothing goes to stdout unchanged, with "nothing to migrate" on stderr', () => {
    const file = join(EXAMPLES, 'host-c', 'kvm-uefi.xml');
    const r = domfleet(['migrate', '--to', 'kvm', file]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, readFileSync(file, 'utf8'));
    assert.match(r.stderr, /kvm-uefi\.xml: nothing to migrate/);
  });

  it('--check exits 1 before and 0 after --in-place; untouched files stay untouched', () => {
    const dir = scratch();
    run('cp', ['-r', EXAMPLES, dir]);
    const fleet = join(dir, 'fleet');
    assert.equal(domfleet(['migrate', '--to', 'modern', '--check', fleet]).code, 1);
    const r = domfleet(['migrate', '--to', 'modern', '--in-place', fleet]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(domfleet(['migrate', '--to', 'modern', '--check', fleet]).code, 0);
    assert.equal(readFileSync(join(fleet, 'host-c', 'kvm-uefi.xml'), 'utf8'), readFileSync(join(EXAMPLES, 'host-c', 'kvm-uefi.xml'), 'utf8'));
  });

  it('--firmware PATH boots a Xen UEFI guest from that KVM firmware, which libvirt accepts and the schema validates', async () => {
    const r = domfleet(['migrate', '--to', 'kvm', '--firmware', '/usr/share/OVMF/OVMF_CODE.fd', join(FIXTURES, 'kvm-firmware.before.xml')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /<loader readonly='yes' type='pflash'>\/usr\/share\/OVMF\/OVMF_CODE\.fd<\/loader>/);
    assert.doesNotMatch(r.stdout, /xen\.bin|firmware='efi'/);
    assert.ok(validates(r.stdout).ok, validates(r.stdout).message);
    if (hasCommand('virsh')) assert.equal((await libvirtDump(r.stdout)).rejected, undefined);
  });

  it('a Windows guest with IDE and Xen disks: the IDE disks stay, the moved ones take free names, libvirt accepts it', async () => {
    const dir = scratch();
    const file = join(dir, 'winx.xml');
    writeFileSync(file, `<domain type='xen'><name>winx</name><memory>1048576</memory><vcpu>1</vcpu>
  <os><type>hvm</type><loader>/usr/lib/xen/boot/hvmloader</loader></os><features><acpi/><apic/><viridian/></features>
  <devices>
    <disk type='file' device='disk'><source file='/a.img'/><target dev='hda' bus='ide'/></disk>
    <disk type='file' device='cdrom'><source file='/b.iso'/><target dev='hdc' bus='ide'/></disk>
    <disk type='file' device='disk'><source file='/c.img'/><target dev='xvdb' bus='xen'/></disk>
    <disk type='file' device='disk'><source file='/d.img'/><target dev='xvdd' bus='xen'/></disk>
  </devices></domain>`);
    const r = domfleet(['migrate', '--to', 'kvm', file]);
    assert.equal(r.code, 0, r.stderr);
    const targets = [...r.stdout.matchAll(/<target dev='([^']+)' bus='([^']+)'\/>/g)].map((m) => `${m[1]} ${m[2]}`);
    assert.deepEqual(targets.sort(), ['hda ide', 'hdb ide', 'hdc ide', 'hdd ide']);
    if (hasCommand('virsh')) assert.equal((await libvirtDump(r.stdout)).rejected, undefined);
  });

  it('usage errors: --to is required and checked', () => {
    assert.equal(domfleet(['migrate', EXAMPLES]).code, 2);
    assert.equal(domfleet(['migrate', '--to', 'vmware', EXAMPLES]).code, 2);
    assert.equal(domfleet(['migrate', '--to', 'kvm', '--disk-bus', 'floppy', EXAMPLES]).code, 2);
  });
});

describe('migrate documentation', () => {
  it('docs/migrate.md has a line for every rule', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'migrate.md'), 'utf8');
    const missing = Object.keys(migrationRules()).filter((rule) => !doc.includes(`| \`${rule}\` |`));
    assert.deepEqual(missing, []);
  });
});
