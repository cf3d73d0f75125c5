// The pre-filter decides from raw bytes that a file cannot match, and skips parsing it. A wrong
// skip silently loses results, so every decision here is checked against xmllint (libxml2's own
// command-line XPath, run on the file) and whole fleets are queried with and without it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { domfleet, run, scratch, EXAMPLES, hasCommand, requireCorpus } from './helpers/run.mjs';
import { computePlan } from '../dist/core/engines/plans.js';

/** What the plan's pre-filter asks of a document for this expression (rows, when it has them). */
const requiredContent = (expr) => { const plan = computePlan(expr); return plan.rows?.prefilter ?? plan.prefilter; };
import { skipTest } from '../dist/core/engines/prefilter.js';
import { listSavedQueries } from '../dist/core/query/saved-queries.js';
import { generateFleet } from '../bench/generate.mjs';

const BRIDGED_ROWS = "/domain/devices/interface[@type='bridge' or (@type='network' and source/@bridge)]";

function domain(devices, { before = '', rootAttributes = " type='kvm'" } = {}) {
  return `${before}<domain${rootAttributes}>\n  <name>t</name>\n  <devices>\n${devices}\n  </devices>\n</domain>\n`;
}

// Each document is named for what it tests: [text, whether BRIDGED_ROWS matches it (xmllint is
// asked too), whether the bytes let the pre-filter skip it (omitted: exactly when it cannot match)].
const documents = {
  'single quotes': [domain("    <interface type='bridge'><source bridge='br0'/></interface>"), true],
  'double quotes': [domain('    <interface type="bridge"><source bridge="br0"/></interface>'), true],
  'spaces around =': [domain("    <interface type = 'bridge'><source bridge='br0'/></interface>"), true],
  'newline and tab around =': [domain("    <interface\n      type\n\t=\n 'bridge'><source bridge='br0'/></interface>"), true],
  'other attributes first': [domain("    <interface trustGuestRxFilters='yes' type='bridge'/>"), true],
  'live network NIC on a bridge': [domain("    <interface type='network'><source network='default' bridge='virbr0'/></interface>"), true],
  'bridge only as a mode': [domain("    <interface type='direct'><source dev='eno1' mode='bridge'/></interface>"), false],
  'bridge only as a name': [domain("    <interface type='user'/>\n    <controller type='pci' model='pcie-to-pci-bridge'/>"), false],
  'type=bridge on another element': [domain("    <interface type='user'/>\n    <hostdev type='bridge'/>"), false, false],
  'network NIC without a bridge': [domain("    <interface type='network'><source network='default'/></interface>"), false],
  'attribute name ending in type': [domain("    <interface subtype='bridge' type='user'/>"), false],
  'value spelt with a character reference': [domain("    <interface type='&#98;ridge'><source bridge='br0'/></interface>"), true],
  'value from an internal entity': [domain("    <interface type='&br;'><source bridge='br0'/></interface>", { before: "<!DOCTYPE domain [<!ENTITY br 'bridge'>]>\n" }), true],
  'character reference elsewhere': [domain("    <interface type='direct'><source dev='eno1' mode='bridge'/></interface>\n    <description>&#233;</description>"), false, false],
  'a DTD elsewhere': [domain("    <interface type='user'/>", { before: '<!DOCTYPE domain>\n' }), false, false],
  'value with surrounding space': [domain("    <interface type=' bridge'/>"), false],
  'in a comment only': [domain("    <!-- <interface type='bridge'/> -->\n    <interface type='user'/>"), false, false],
  'no interfaces at all': [domain("    <disk type='file'/>"), false],
};

/** The same exit code and output with and without the pre-filter (the plain run uses no workers). */
function assertPrefilterChangesNothing(expr, inputs) {
  const plain = domfleet(['query', '--no-prefilter', '-j', '0', '--format', 'ndjson', expr, ...inputs]);
  const filtered = domfleet(['query', '--format', 'ndjson', expr, ...inputs]);
  assert.equal(filtered.code, plain.code, `${expr}: ${filtered.stderr}${plain.stderr}`);
  assert.equal(filtered.stdout, plain.stdout, expr);
}

function xmllintCount(expr, file) {
  const r = run('xmllint', ['--noent', '--xpath', `count(${expr})`, file]);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim());
}

describe('query pre-filter', () => {
  let dir;
  before(function () {
    if (!hasCommand('xmllint')) throw new Error('xmllint is required (Debian package libxml2-utils)');
    dir = scratch();
  });

  const requirement = requiredContent(BRIDGED_ROWS);
  const cannotMatch = skipTest(requirement);

  for (const [name, [text, matches, skippable = !matches]] of Object.entries(documents)) {
    it(`${name}: ${skippable ? 'skipped' : 'parsed'}; xmllint says it ${matches ? 'matches' : 'does not match'}`, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.xml`);
      writeFileSync(file, text);
      assert.equal(xmllintCount(BRIDGED_ROWS, file) > 0, matches, 'the fixture says what xmllint says');
      const skipped = cannotMatch(Buffer.from(text));
      if (matches) assert.equal(skipped, false, 'a matching file was skipped unparsed');
      else assert.equal(skipped, skippable, skippable ? 'a file that cannot match was parsed' : 'untrustworthy bytes were skipped');
    });
  }

  // Expressions true of a document that lacks their literals: the pre-filter must not skip it.
  const unreadable = {
    "//interface[not(@type='bridge')]": "    <interface type='user'/>",
    "//interface[@type!='user']": "    <interface type='network'/>",
    '//interface | //disk': "    <disk type='file'/>",
    "//interface[not(contains(@type, 'xyz'))]": "    <interface type='user'/>",
    "//*[@*='bridge']": "    <hostdev mode='bridge'/>",
    "//interface[@type='bridge' or @model]": "    <interface model='virtio'/>",
    "//interface[@type='bridge' or not(@type)]": '    <interface/>',
    "//interface[(@type='bridge' or @type='network') and source]": "    <interface type='network'><source network='x'/></interface>",
    '//vcpu[. div 2 = 2]': '    <vcpu>4</vcpu>',
    "//os[type='hvm']": '    <os><type>h<!-- split -->vm</type></os>',
    "//os[type='hvm' or type='xen']": '    <os><type><![CDATA[h]]>vm</type></os>',
    '//vcpu[. mod 3 = 1]': '    <vcpu>4</vcpu>',
    // > is written &gt; (libxml2 and libvirt do): the literal is not in the bytes as written.
    '//interface[source/@bridge = "br>0"]': "    <interface type='bridge'><source bridge='br&gt;0'/></interface>",
  };
  for (const [expr, devices] of Object.entries(unreadable)) {
    it(`does not skip what ${expr} matches`, () => {
      const file = join(dir, 'unreadable.xml');
      const text = domain(devices);
      writeFileSync(file, text);
      assert.ok(xmllintCount(expr, file) > 0, 'the fixture matches');
      const test = skipTest(requiredContent(expr));
      assert.ok(test === null || !test(Buffer.from(text)));
    });
  }

  it('a query parameter makes a predicate require nothing', () => {
    const test = skipTest(requiredContent('//interface[@type=$t]'));
    assert.ok(test === null || !test(Buffer.from(domain("    <interface type='user'/>"))));
  });

  it('every saved query gives the same output with and without it, over a generated fleet and the examples', () => {
    const fleet = generateFleet(join(scratch(), 'fleet'), 400);
    for (const { name } of listSavedQueries()) assertPrefilterChangesNothing(name, [fleet, EXAMPLES]);
  });
});

describe('query pre-filter on the shared corpus', () => {
  let files;
  before(function () {
    files = requireCorpus(this).map((f) => f.path);
  });

  // XPath 1.0 forms from the cookbook of ../shared/docs/domain-xml-reference.md.
  const cookbook = [
    "/domain/devices/interface[@type='bridge'][source/@bridge='br0']/mac/@address",
    "/domain/devices/interface[@type='network'][source/@network='default']",
    '/domain/devices/interface[not(mac)]',
    "/domain/devices/disk[@device='disk' or not(@device)]/source/@file",
    "/domain/devices/disk[@device='disk'][target/@bus != 'virtio']",
    "/domain/devices/disk[@device='cdrom'][source/@file]",
    "/domain/devices/disk[driver/@type='qcow2']",
    "/domain[devices/graphics[@type='vnc'][not(@passwd)]]/name",
    "/domain[memory/@unit='KiB'][number(memory) > 8388608]",
    "/domain[cpu/@mode='host-passthrough']",
    "/domain/devices/hostdev[@type='pci']/source/address",
    "/domain[devices/interface[@type='network'] and not(devices/interface[@type='bridge'])]",
    "/domain[os/type='hvm']/name",
    "//controller[@type='usb' and @model='qemu-xhci']",
    "//disk[source/@file='/var/lib/libvirt/images/demo.img']",
  ];
  it('cookbook expressions give the same output with and without it', () => {
    for (const expr of cookbook) assertPrefilterChangesNothing(expr, files);
  });

  it('every saved query gives the same output with and without it', () => {
    for (const { name } of listSavedQueries()) assertPrefilterChangesNothing(name, files);
  });
});
