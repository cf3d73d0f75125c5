// Live fleets through libvirt's own client: three fake hosts of libvirt's test driver
// (test:///PATH/host.xml, a <node> of domains) with 60 domains, a host that refuses connections
// and one that accepts and never answers. Reachable hosts are answered and the others named;
// results over --connect equal results over the folder fetch wrote; --apply defines through
// the same connection and reports what libvirt refused.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EXAMPLES, domfleet, hasCommand, run, scratch } from './helpers/run.mjs';
import { fakeHosts } from './helpers/fake-hosts.mjs';

const HOSTS = ['kvm01', 'kvm02', 'kvm03'];

describe('live hosts (--connect, fetch, --apply)', function () {
  this.timeout(300_000);
  let hosts;
  let silent;
  let silentUri;

  before(async function () {
    if (!hasCommand('virsh')) throw new Error('virsh is not installed (Debian libvirt-clients; .ci/run installs it)');
    hosts = fakeHosts(scratch('hosts-'), HOSTS, 20);
    // A host that accepts the connection and never says anything.
    silent = createServer(() => {});
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUri = `qemu+tcp://127.0.0.1:${silent.address().port}/system`;
  });
  after(() => silent?.close());

  const connectArgs = () => hosts.uris.flatMap((u) => ['--connect', u]);

  it('answers every reachable host; an unreachable and a silent host get one line each (exit 2)', () => {
    const refused = 'qemu+tcp://127.0.0.1:1/system';
    // Both would be labelled 127.0.0.1: two hosts with one label is a usage error, so they are named.
    assert.match(domfleet(['query', '--connect', refused, '--connect', silentUri, '/domain/name']).stderr, /would both be labelled '127\.0\.0\.1': give them different names \(NAME=URI\)/);
    const r = domfleet(['query', '--format', 'json', '--connect-timeout', '3', ...connectArgs(), '--connect', `refused=${refused}`, '--connect', `silent=${silentUri}`, '/domain/name']);
    assert.equal(r.code, 2, r.stderr);
    const rows = JSON.parse(r.stdout);
    assert.equal(rows.length, hosts.total);
    assert.ok(hosts.total >= 50);
    assert.deepEqual([...new Set(rows.map((x) => x.host))].sort(), HOSTS);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines.find((l) => l.startsWith(refused)) ?? '', /^\S+: host refused: .*Connection refused/);
    assert.match(lines.find((l) => l.startsWith(silentUri)) ?? '', /^\S+: host silent: no answer within 3 s/);
  });

  it('results over --connect equal results over the folder fetch wrote: same values, same hosts', () => {
    const out = join(scratch('fetched-'), 'fleet');
    const f = domfleet(['fetch', ...connectArgs(), '-o', out]);
    assert.equal(f.code, 0, f.stderr);
    assert.match(f.stderr, new RegExp(`3 of 3 host\\(s\\) answered, ${hosts.total} domain\\(s\\): ${hosts.total} added, 0 changed, 0 unchanged, 0 gone`));
    assert.deepEqual(readdirSync(out).sort(), HOSTS);
    for (const query of ['nics', 'disks', 'memory', 'vnc-open', 'legacy-syntax']) {
      const live = JSON.parse(domfleet(['query', '--format', 'json', '--inactive', ...connectArgs(), query]).stdout);
      const files = JSON.parse(domfleet(['query', '--format', 'json', query, out]).stdout);
      const key = (x) => JSON.stringify([x.host, x.value]);
      assert.ok(live.length > 0, query);
      assert.deepEqual(live.map(key).sort(), files.map(key).sort(), query);
    }
    // lint reads live definitions with their secrets (a VNC password is not "no password"): so
    // does the folder it is compared with.
    const secure = join(scratch('fetched-'), 'fleet');
    assert.equal(domfleet(['fetch', '--security-info', ...connectArgs(), '-o', secure]).code, 0);
    const lintLive = JSON.parse(domfleet(['lint', '--no-config', '--format', 'json', ...connectArgs()]).stdout).findings;
    const lintFiles = JSON.parse(domfleet(['lint', '--no-config', '--format', 'json', secure]).stdout).findings;
    assert.ok(lintLive.length > 20);
    const finding = (x) => `${x.rule} ${x.host}/${x.domain} ${x.line}`;
    assert.deepEqual(lintLive.map(finding).sort(), lintFiles.map(finding).sort());
  });

  it('fetch again rewrites only what changed, reports what is gone, and --prune removes it (not on hosts that failed)', () => {
    const out = join(scratch('fetched-'), 'fleet');
    assert.equal(domfleet(['fetch', ...connectArgs(), '-o', out]).code, 0);
    const [first] = readdirSync(join(out, 'kvm01')).sort();
    writeFileSync(join(out, 'kvm01', first), '<domain type="kvm"><name>edited</name></domain>\n');
    writeFileSync(join(out, 'kvm02', 'retired.xml'), '<domain type="kvm"><name>retired</name></domain>\n');
    mkdirSync(join(out, 'unreachable'));
    writeFileSync(join(out, 'unreachable', 'kept.xml'), '<domain type="kvm"><name>kept</name></domain>\n');
    const again = domfleet(['fetch', ...connectArgs(), '--connect', 'unreachable=qemu+tcp://127.0.0.1:1/system', '-o', out, '--prune']);
    assert.equal(again.code, 2, 'a host that failed fails the run');
    assert.match(again.stdout, new RegExp(`^changed\\t.*kvm01/${first}$`, 'm'));
    assert.match(again.stdout, /^removed\t.*kvm02\/retired\.xml$/m);
    assert.match(again.stderr, new RegExp(`0 added, 1 changed, ${hosts.total - 1} unchanged, 1 gone \\(removed\\)`));
    assert.ok(readdirSync(join(out, 'kvm02')).every((f) => f !== 'retired.xml'));
    assert.deepEqual(readdirSync(join(out, 'unreachable')), ['kept.xml'], 'an unreachable host is not an empty one');
    assert.match(readFileSync(join(out, 'kvm01', first), 'utf8'), /^<domain type='kvm'>/);
  });

  it('--apply defines each change through the connection it was read from; what libvirt refuses is reported, the rest applied', () => {
    // A stylesheet that gives db01-0 two disks on one target: valid for the schema, refused by libvirt.
    const xsl = join(scratch('xsl-'), 'tablet-and-clash.xsl');
    writeFileSync(xsl, `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="@*|node()"><xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy></xsl:template>
  <xsl:template match="/domain[@type='kvm']/devices[not(input[@type='tablet'])]"><xsl:copy><xsl:apply-templates select="@*|node()"/><input type="tablet" bus="usb"/></xsl:copy></xsl:template>
  <xsl:template match="/domain[name='db01-0']/devices/disk[2]/target/@dev"><xsl:attribute name="dev"><xsl:value-of select="/domain/devices/disk[1]/target/@dev"/></xsl:attribute></xsl:template>
</xsl:stylesheet>`);
    const dry = domfleet(['transform', xsl, '--diff', ...connectArgs()]);
    assert.equal(dry.code, 0, dry.stderr);
    const changed = (dry.stdout.match(/^\+\+\+ /gm) ?? []).length;
    assert.ok(changed > 20, `${changed} domains would change`);
    const r = domfleet(['transform', xsl, '--apply', '--yes', ...connectArgs()]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /kvm0\d:db01-0: not defined: libvirt refused it: .*target 'vda' duplicated/);
    assert.match(r.stderr, new RegExp(`defined ${changed - 1} of ${changed} changed domain\\(s\\) on 3 host\\(s\\); libvirt's stored definitions match what was sent; a running domain picks the change up at its next cold boot`));
    assert.equal((r.stdout.match(/^\+\+\+ /gm) ?? []).length, changed, 'the diffs are shown before applying');
  });

  it('--apply asks first: refused without a terminal unless --yes; it needs --connect; --in-place cannot reach live hosts', () => {
    const noYes = domfleet(['normalize', '--apply', ...connectArgs()]);
    assert.equal(noYes.code, 2);
    assert.match(noYes.stderr, /without a terminal to ask on, add --yes/);
    assert.match(domfleet(['normalize', '--apply', '--yes', EXAMPLES]).stderr, /--apply defines changes through libvirt: give the hosts with --connect/);
    assert.match(domfleet(['normalize', '--in-place', ...connectArgs()]).stderr, /use --apply/);
    assert.match(domfleet(['query', '--inactive', '/domain/name', EXAMPLES]).stderr, /--inactive goes with --connect/);
  });

  it("--in-place refuses files libvirtd owns (AUTO-GENERATED header) and points at --apply; --force overrides", () => {
    const dir = scratch('etc-libvirt-');
    const file = join(dir, 'web01.xml');
    const header = '<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\nOVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  virsh edit web01\nor other application using the libvirt API.\n-->\n\n';
    const original = header + readFileSync(join(EXAMPLES, 'host-c', 'kvm-minimal.xml'), 'utf8').replace(/<\?xml[^>]*>\s*/, '');
    writeFileSync(file, original);
    const r = domfleet(['transform', 'add-tablet', '--in-place', file]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /libvirtd owns this file .* --connect qemu:\/\/\/system --apply \(--edit-libvirtd-files to rewrite the file anyway\)/);
    assert.equal(readFileSync(file, 'utf8'), original);
    // migrate's --force converts what is unsafe: it does not also override this.
    assert.equal(domfleet(['migrate', '--to', 'modern', '--force', '--in-place', file]).code, 1);
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.equal(domfleet(['transform', 'add-tablet', '--in-place', '--force', file]).code, 0);
    assert.notEqual(readFileSync(file, 'utf8'), original);
    writeFileSync(file, original);
    assert.equal(domfleet(['migrate', '--to', 'modern', '--in-place', '--edit-libvirtd-files', file]).code, 0);
    assert.notEqual(readFileSync(file, 'utf8'), original);
  });

  it('--apply reads and defines definitions with their secrets: a VNC password survives, and the diff hides it', () => {
    const dir = scratch('secret-host-');
    const xml = readFileSync(join(EXAMPLES, 'host-c', 'kvm-minimal.xml'), 'utf8').replace(/<\?xml[^>]*>/, '')
      .replace('</devices>', "<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0' passwd='s3cret-pw'><listen type='address' address='0.0.0.0'/></graphics></devices>");
    writeFileSync(join(dir, 'vault.xml'), `<node>${xml}</node>`);
    const uri = `test://${join(dir, 'vault.xml')}`;
    const r = domfleet(['transform', 'add-tablet', '--apply', '--yes', '--connect', uri]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /defined 1 of 1 changed domain\(s\) on 1 host\(s\); libvirt's stored definitions match what was sent/);
    assert.doesNotMatch(r.stdout, /s3cret-pw/, 'the diff hides the password');
    // Read back (in domfleet, through the same connection) with secrets and compared: the
    // password is in what was sent, or the definitions would not match. Without it, lint would
    // call the console open; lint reads definitions with their secrets.
    // A query about passwords over a live host read without secrets says so.
    const q = domfleet(['query', 'vnc-open', '--connect', uri]);
    assert.match(q.stderr, /read without secrets: passwd is absent .*--security-info/);
    assert.match(domfleet(['query', '--format', 'json', '--security-info', 'vnc-open', '--connect', uri]).stdout, /"password":"yes"/);
    assert.match(domfleet(['lint', '--inactive', '--connect', uri]).stderr, /--inactive and --security-info are implied/);
    const lint = domfleet(['lint', '--no-config', '--format', 'json', '--only', 'vnc-open,runtime-state', '--connect', uri]);
    assert.deepEqual(JSON.parse(lint.stdout).findings, [], 'a VNC with a password is not open, and a running domain\'s definition has no run-time state');
  });

  it('diff compares HOST:NAME on a live host with a file, reading only that domain', () => {
    const same = domfleet(['diff', '--inactive', '--connect', hosts.uris[0], 'kvm01:db01-0', join(EXAMPLES, 'host-b', 'kvm-db01.xml')]);
    assert.ok(same.code === 0 || same.code === 1, same.stderr);
    assert.match(same.stdout + same.stderr, same.code === 1 ? /^--- kvm01:db01-0$/m : /^$/);
    const missing = domfleet(['diff', '--connect', hosts.uris[0], 'kvm01:nosuch', join(EXAMPLES, 'host-b', 'kvm-db01.xml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /kvm01:nosuch: no such domain on that host/);
    assert.match(domfleet(['query', '--hosts', join(scratch('empty-'), 'none.txt'), '/domain/name']).stderr, /--hosts .*none\.txt: ENOENT/);
    const empty = join(scratch('empty-'), 'hosts.txt');
    writeFileSync(empty, '# no hosts yet\n');
    assert.match(domfleet(['lint', '--hosts', empty]).stderr, /lists no hosts/);
  });

  it('fetch --prune keeps the files of a host that failed for one domain; --security-info files are private', () => {
    const out = join(scratch('fetched-'), 'fleet');
    assert.equal(domfleet(['fetch', '--security-info', '--connect', hosts.uris[1], '-o', out]).code, 0);
    for (const f of readdirSync(join(out, 'kvm02'))) assert.equal(statSync(join(out, 'kvm02', f)).mode & 0o777, 0o600, f);
    writeFileSync(join(out, 'kvm02', 'retired.xml'), '<domain type="kvm"><name>retired</name></domain>\n');
    // A virsh that fails one dumpxml with an error other than "no such domain".
    const bin = scratch('bin-');
    const real = run('sh', ['-c', 'command -v virsh']).stdout.trim();
    writeFileSync(join(bin, 'virsh'), `#!/bin/sh\nsed -u 's/^dumpxml --inactive --domain "00000000-0000-4000-8000-000000000002"/dumpxml --no-such-option/' | exec ${real} "$@"\n`);
    chmodSync(join(bin, 'virsh'), 0o755);
    const r = domfleet(['fetch', '--connect', hosts.uris[1], '-o', out, '--prune'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /host kvm02: domain 00000000-0000-4000-8000-000000000002 could not be read/);
    assert.ok(readdirSync(join(out, 'kvm02')).includes('retired.xml'), 'not pruned: the host did not answer for every domain');
    assert.match(r.stdout, /^gone\t.*retired\.xml$/m);
  });

  it('a domain that disappears between listing and reading is a notice, and the rest is answered', () => {
    // A virsh that, like a host where the domain was just undefined, cannot find one listed UUID.
    const bin = scratch('bin-');
    const real = run('sh', ['-c', 'command -v virsh']).stdout.trim();
    writeFileSync(join(bin, 'virsh'), `#!/bin/sh\nsed -u 's/00000000-0000-4000-8000-000000000005"/00000000-0000-4000-8000-999999999999"/' | exec ${real} "$@"\n`);
    chmodSync(join(bin, 'virsh'), 0o755);
    const r = domfleet(['query', '--format', 'json', ...connectArgs(), '/domain/name'], { env: { PATH: `${bin}:${process.env.PATH}` } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).length, hosts.total - 1);
    assert.match(r.stderr, /domain 00000000-0000-4000-8000-000000000005 was listed but could not be read \(gone since\?\)/);
  });

  it('without virsh: one line saying which package to install (exit 2)', () => {
    const bin = scratch('bin-');
    // Node and nothing else on PATH.
    symlinkSync(process.execPath, join(bin, 'node'));
    chmodSync(bin, 0o755);
    const r = domfleet(['query', '--connect', hosts.uris[0], '/domain/name'], { env: { PATH: bin } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^domfleet: virsh is not installed: .*apt-get install libvirt-clients/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });
});
