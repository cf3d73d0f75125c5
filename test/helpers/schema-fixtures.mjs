// Fixtures generated from libvirt's own RELAX NG schema (domain.rng and what it includes): for each
// element that can sit directly under <domain> or <devices>, subtrees with every optional part
// included, choices taken so that every branch is used at least once (least-used branch first, over
// the whole run), attributes and children in a shuffled order (seeded, so deterministic), values
// from <value>, from a table of sample values libvirt's parser accepts, or made from the
// datatype's pattern. Each subtree is put into a small base domain, one fixture per subtree.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { XmlDocument, XmlElement, XmlText } from 'libxml2-wasm';
import { prng } from '../../bench/generate.mjs';

export const SCHEMA_DIR = '/usr/share/libvirt/schemas';
const RNG_NS = 'http://relaxng.org/ns/structure/1.0';

// ---------------------------------------------------------------------------------------------
// Reading the schema

/** One RNG file as plain objects: { t: tag, a: {attrs}, c: [children], text }. */
function readRng(path) {
  const doc = XmlDocument.fromBuffer(readFileSync(path));
  try {
    const walk = (el) => {
      const node = { t: el.name, a: Object.fromEntries(el.attrs.map((x) => [x.name, x.value])), c: [], text: '' };
      for (let c = el.firstChild; c; c = c.next) {
        if (c instanceof XmlElement) {
          if (c.namespaceUri === RNG_NS) node.c.push(walk(c));
        } else if (c instanceof XmlText) node.text += c.content;
      }
      return node;
    };
    return walk(doc.root);
  } finally {
    doc.dispose();
  }
}

/**
 * The grammar starting at `file`: { start, defines: Map(name → pattern) }. Patterns are
 * { t, name?, ns?, type?, params?, value?, c: [patterns], id }.
 */
export function loadSchema(dir = SCHEMA_DIR, file = 'domain.rng') {
  const defines = new Map();
  let start = null;
  let ids = 0;
  const loaded = new Set();

  // Turns an RNG node into a pattern, carrying `ns` down as RELAX NG does.
  const pattern = (n, ns) => {
    if (n.a.ns !== undefined) ns = n.a.ns;
    const p = { t: n.t, id: ids++, c: [] };
    switch (n.t) {
      case 'element':
      case 'attribute': {
        let kids = n.c;
        if (n.a.name !== undefined) p.name = n.a.name;
        else if (kids[0] && ['name', 'anyName', 'nsName', 'choice'].includes(kids[0].t)) {
          if (kids[0].t === 'name') p.name = kids[0].text.trim();
          else p.any = true;
          kids = kids.slice(1);
        }
        if (n.t === 'element') p.ns = ns || '';
        // An attribute's name is not namespaced by `ns` (RELAX NG: only elements inherit it).
        p.c = kids.map((k) => pattern(k, ns));
        if (n.t === 'attribute' && p.c.length === 0) p.c = [{ t: 'text', id: ids++, c: [] }];
        return p;
      }
      case 'value':
        p.value = n.a.type === 'string' ? n.text : n.text.trim().replace(/\s+/g, ' ');
        return p;
      case 'data':
        p.type = n.a.type;
        p.params = Object.fromEntries(n.c.filter((k) => k.t === 'param').map((k) => [k.a.name, k.text]));
        p.except = n.c.filter((k) => k.t === 'except').map((k) => pattern(k, ns));
        return p;
      case 'ref':
      case 'parentRef':
        p.t = 'ref';
        p.name = n.a.name;
        return p;
      default:
        p.c = n.c.map((k) => pattern(k, ns));
        return p;
    }
  };

  const addDefine = (d, ns, overriding) => {
    const body = { t: 'group', id: ids++, c: d.c.map((k) => pattern(k, ns)) };
    const name = d.a.name;
    const old = defines.get(name);
    if (!old || overriding) defines.set(name, body);
    else if (d.a.combine === 'choice') defines.set(name, { t: 'choice', id: ids++, c: [old, body] });
    else if (d.a.combine === 'interleave') defines.set(name, { t: 'interleave', id: ids++, c: [old, body] });
    else if (old.combinable) defines.set(name, { t: 'choice', id: ids++, c: [old.body ?? old, body] });
    else defines.set(name, body);
  };

  const loadGrammar = (path, overrides = new Set()) => {
    const g = readRng(path);
    const ns = g.a.ns ?? '';
    const local = [];
    const visit = (nodes) => {
      for (const n of nodes) {
        if (n.t === 'div') visit(n.c);
        else if (n.t === 'include') {
          const inner = n.c.filter((k) => k.t === 'define').map((k) => k.a.name);
          const key = join(dirname(path), n.a.href);
          if (!loaded.has(key)) {
            loaded.add(key);
            loadGrammar(key, new Set([...overrides, ...inner]));
          }
          for (const d of n.c.filter((k) => k.t === 'define')) addDefine(d, ns, true);
          const s = n.c.find((k) => k.t === 'start');
          if (s) start = { t: 'group', id: ids++, c: s.c.map((k) => pattern(k, ns)) };
        } else if (n.t === 'define') {
          if (!overrides.has(n.a.name)) local.push(n);
        } else if (n.t === 'start') {
          if (!start) start = { t: 'group', id: ids++, c: n.c.map((k) => pattern(k, ns)) };
        }
      }
    };
    visit(g.c);
    for (const d of local) addDefine(d, ns, false);
  };
  loaded.add(join(dir, file));
  loadGrammar(join(dir, file));
  return { start, defines };
}

/** Walks every pattern reachable from `from`, calling fn(pattern, enclosingElementName). */
export function walkSchema(schema, from, fn) {
  const seen = new Set();
  const go = (p, el) => {
    const key = `${p.id} ${el}`;
    if (seen.has(key)) return;
    seen.add(key);
    fn(p, el);
    if (p.t === 'ref') {
      const d = schema.defines.get(p.name);
      if (d) go(d, el);
      return;
    }
    const inner = p.t === 'element' ? (p.name ?? '*') : el;
    for (const c of p.c) go(c, inner);
  };
  go(from, '');
}

/**
 * The vocabulary of the domain schema: element names and element@attribute pairs reachable from
 * the start, in libvirt's own namespace (foreign-namespace elements listed apart).
 */
export function schemaVocabulary(schema) {
  const elements = new Set();
  const attributes = new Set();
  const attributeNames = new Set();
  const foreign = new Set();
  walkSchema(schema, schema.start, (p, el) => {
    if (p.t === 'element' && p.name) {
      if (p.ns) foreign.add(`{${p.ns}}${p.name}`);
      else elements.add(p.name);
    }
    if (p.t === 'attribute' && p.name && el && el !== '*') {
      attributes.add(`${el}@${p.name}`);
      attributeNames.add(p.name);
    }
  });
  return { elements, attributes, attributeNames, foreign };
}

// ---------------------------------------------------------------------------------------------
// Values

/** A short string matching an XSD regular expression (the subset libvirt's schemas use). */
export function fromPattern(re) {
  let i = 0;
  const alt = () => {
    const first = seq();
    while (re[i] === '|') { i++; seq(); }
    return first;
  };
  const classChar = () => {
    if (re[i] === '\\') {
      const e = re[i + 1];
      i += 2;
      if (e === 'd') return '0';
      if (e === 's') return ' ';
      if (e === 'w') return 'a';
      if (e === 'n') return '\n';
      if (e === 't') return '\t';
      return e;
    }
    return re[i++];
  };
  const charClass = () => {
    i++; // [
    const negated = re[i] === '^';
    if (negated) i++;
    const ranges = [];
    while (i < re.length && re[i] !== ']') {
      const lo = classChar();
      let hi = lo;
      if (re[i] === '-' && re[i + 1] !== ']') { i++; hi = classChar(); }
      ranges.push([lo, hi]);
    }
    i++; // ]
    if (!negated) {
      // Prefer a letter or digit when the class offers one.
      for (const pick of ['1', 'a', 'x', '0']) if (ranges.some(([lo, hi]) => lo <= pick && pick <= hi)) return pick;
      return ranges[0][0];
    }
    for (const pick of ['a', 'x', '0', 'Q']) if (!ranges.some(([lo, hi]) => lo <= pick && pick <= hi)) return pick;
    return 'a';
  };
  const atom = () => {
    const ch = re[i];
    if (ch === '(') {
      i++;
      const inner = alt();
      i++; // )
      return inner;
    }
    if (ch === '[') return charClass();
    if (ch === '.') { i++; return 'a'; }
    if (ch === '\\') {
      const e = re[i + 1];
      if (e === 'p' || e === 'P') { i = re.indexOf('}', i) + 1; return 'a'; }
      return classChar();
    }
    i++;
    return ch;
  };
  const seq = () => {
    let out = '';
    while (i < re.length && re[i] !== '|' && re[i] !== ')') {
      const a = atom();
      let min = 1;
      let max = 1;
      if (re[i] === '?') { min = 0; max = 1; i++; } else if (re[i] === '*') { min = 0; max = Infinity; i++; } else if (re[i] === '+') { min = 1; max = Infinity; i++; } else if (re[i] === '{') {
        const end = re.indexOf('}', i);
        const [lo, hi] = re.slice(i + 1, end).split(',');
        min = Number(lo);
        max = hi === undefined ? min : hi === '' ? Infinity : Number(hi);
        i = end + 1;
      }
      const n = min > 0 ? min : 0;
      // Atoms are deterministic, so n copies of its text match it n times.
      out += a.repeat(n);
    }
    return out;
  };
  return alt();
}

// Sample values libvirt's parser accepts, first match wins. Keys: `parent/element@attr`,
// `element@attr`, `@attr`, `element/` (text of element), `parent/element/`, `#define` (a define
// the value was reached through), `:type` (an XSD datatype).
export const SAMPLES = {
  '#UUID': 'c7a5fdbd-edaf-9455-926a-d65c16db1809',
  '#uniMacAddr': '52:54:00:6d:90:01',
  '#macAddr': '52:54:00:6d:90:02',
  '#multiMacAddr': '01:00:5e:00:00:01',
  '#ipv4Addr': '192.168.122.10',
  '#ipv6Addr': '2001:db8::10',
  '#ipAddr': '192.168.122.11',
  '#ipv4Prefix': '24',
  '#ipv6Prefix': '64',
  '#ipPrefix': '24',
  '#objectName': 'fx1',
  '#objectNameWithSlash': 'fx/title',
  '#genericName': 'fx1',
  '#dnsName': 'host.example.org',
  '#deviceName': 'vnet7',
  '#zoneName': 'public',
  '#filePath': '/var/lib/libvirt/images/fx.img',
  '#absFilePath': '/var/lib/libvirt/images/fx.img',
  '#dirPath': '/var/lib/libvirt/images',
  '#absDirPath': '/var/lib/libvirt/images',
  '#vmwarePath': '[datastore1] fx/fx.vmdk',
  '#unit': 'KiB',
  '#unsignedInt': '2',
  '#unsignedLong': '1024',
  '#hexuint': '0x1',
  '#positiveInteger': '2',
  '#octalMode': '0755',
  '#uint8': '2',
  '#uint16': '2',
  '#uint24': '2',
  '#uint32': '2',
  '#pciDomain': '0x0000',
  '#pciBus': '0x00',
  '#pciSlot': '0x05',
  '#pciFunc': '0x0',
  '#wwn': '5000c50015ea71ac',
  '#cpuset': '0-1',
  '#PortNumber': '5901',
  '#virYesNo': 'yes',
  '#virOnOff': 'on',
  '#archnames': 'x86_64',
  '#numaDistanceValue': '20',
  '#dbusAddr': 'unix:path=/run/dbus.sock',
  '#DUID': '00:04:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00',
  // Places where libvirt checks more than the schema says.
  'maxMemory/': '16777216',
  'maxMemory@unit': 'KiB',
  'maxMemory@slots': '16',
  'currentMemory/': '1048576',
  'currentMemory@unit': 'KiB',
  'domain/memory/': '1048576',
  'domain/memory@unit': 'KiB',
  'domain/vcpu/': '2',
  'vcpu@current': '1',
  'vcpus/vcpu@id': '0',
  'dirty-ring@size': '4096',
  'uid@start': '0',
  'gid@start': '0',
  'uid@target': '1000',
  'gid@target': '1000',
  'reservations/source@mode': 'client',
  'disk/source@name': 'pool/1',
  'disk/target@dev': 'vda',
  'disk/target@bus': 'virtio',
  'disk@model': 'virtio',
  'master@startport': '0',
  'vendor@id': '0x1234',
  'product@id': '0x5678',
  'usbdev@class': '0x08',
  'usbdev@vendor': '0x1234',
  'usbdev@product': '0x5678',
  'usbdev@version': '2.0',
  'input@mixingEngine': 'yes',
  'output@mixingEngine': 'yes',
  'rom@bar': 'on',
  'graphics@listen': '192.168.122.10',
  'graphics/listen@address': '192.168.122.10',
  '#ipv6Addr': '2001:db8::10',
  'ip@prefix': '24',
  'source@service': '5555',
  'source@host': '127.0.0.1',
  'protocol@type': 'raw',
  'cid@address': '3',
  'target/size/': '524288',
  'target/size@unit': 'KiB',
  'label/size/': '128',
  'label/size@unit': 'KiB',
  'iothreadids/iothread@id': '1',
  '@iothread': '1',
  'cell@id': '0',
  'cell@cpus': '0-1',
  'cell@memory': '1048576',
  'cell@unit': 'KiB',
  'iothreadsched@iothreads': '1-2',
  'memnode@cellid': '0',
  'numatune/memory@placement': 'static',
  'spinlocks@retries': '4096',
  'ip@peer': '192.168.122.1',
  'ip@address': '192.168.122.10',
  'ip@family': 'ipv4',
  'target/node/': '0',
  'source@mode': 'connect',
  'target@port': '0',
  'channel/target@address': '10.0.2.1',
  'address@bus': '0',
  'sibling@id': '0',
  '@initiator': '0',
  'interconnects/latency@target': '0',
  'interconnects/bandwidth@target': '0',
  'disk@device': 'disk',
  'cputune/shares/': '1024',
  'monitor@level': '3',
  'route@gateway': '192.168.122.1',
  'route@address': '192.168.123.0',
  'route@family': 'ipv4',
  'interface/source@mode': 'client',
  'os@firmware': 'efi',
  'cputune/period/': '100000',
  'cputune/emulator_period/': '100000',
  'cputune/global_period/': '100000',
  'cputune/iothread_period/': '100000',
  'cputune/quota/': '50000',
  'cputune/emulator_quota/': '50000',
  'cputune/global_quota/': '50000',
  'cputune/iothread_quota/': '50000',
  'source@startupPolicy': 'optional',
  'route@prefix': '24',
  'alias@name': 'ua-fx1', // libvirt keeps only user aliases (ua-) in an inactive definition
  'interface/driver@name': 'vhost',
  'interface/model@type': 'virtio',
  'route@netmask': '255.255.255.0',
  ':unsignedInt': '2',
  ':unsignedLong': '1024',
  ':unsignedShort': '2',
  ':int': '2',
  ':integer': '2',
  ':long': '2',
  ':short': '2',
  ':positiveInteger': '2',
  ':dateTime': '2024-01-01T00:00:00',
  ':NCName': 'fx',
  ':string': 'fx',
  ':double': '1.5',
  ':decimal': '1.5',
};

/**
 * What libvirt refuses although the schema allows it, as patterns over the place: `/domain/devices/
 * disk/encryption` (an element), `…@attr` (an attribute), `…@attr=value` (an attribute value).
 */
export const SKIP = [
  /\/disk\/encryption$/, // libvirt wants it in <source>, refuses both
  /\/disk\/auth$/,
  /\/bandwidth@classID$/,
  /\/disk\/.*\/encryption\/(cipher|ivgen)$/,
  /\/source@fdgroup$/,
  /\/(driver|format)@(type|format)=luks$/,
  /\/filesystem\/.*=luks$/,
  /@floor$/,
  /\/backend@type=passt$/, // Debian's libvirt 9.0 is built without passt
  /\/cell\/distances$/, // one cell with a <sibling> distance crashes libvirt 9.0 (free(): invalid pointer)
  /\/interconnects\/[a-z]+@cache$/,
  /\/interface\/source\/address@type=usb$/,
  /\/serial\/target@type=(?!(isa|usb|pci|spapr-vio|system|sclp)-serial$)/,
  /\/controller\/master$/,
  /\/hostdev\/teaming$/,
  /\/graphics\/audio$/,
  /\/serial\/target@type=serial$/,
  /\/hugepages\/page@nodeset$/,
  /\/controller\/driver@iothread$/,
  /\/filesystem\/boot$/,
  /^(?!.*\/hostdev\/).*\/address@type=unassigned$/,
  /\/hostdev\/source@startupPolicy$/,
  /\/sound\/audio$/,
  /\/smartcard\/address@type=(?!ccid)[^=]*$/,
  /\/(redirdev|hub)\/address@type=(?!usb)[^=]*$/,
  /\/iommu\/address$/,
  /\/cpu@migratable$/,
];

let osCount = 0;

/** Fixes for rules between parts of one element that a schema cannot say. */
export const FIXES = {
  input(node) {
    const type = attr(node, 'type');
    if (type === 'tablet' || type === 'passthrough' || type === 'evdev') setAttr(node, 'bus', type === 'tablet' ? 'usb' : 'virtio');
    if (type === 'evdev') node.attrs = node.attrs.filter(([n]) => n !== 'bus' && n !== 'model');
    if (/^virtio/.test(attr(node, 'model') ?? '')) setAttr(node, 'bus', 'virtio');
  },
  video(node) {
    const model = node.children.find((c) => c.name === 'model');
    const driver = node.children.find((c) => c.name === 'driver');
    const vhost = driver && attr(driver, 'name') === 'vhostuser';
    if (model) {
      setAttr(model, 'type', vhost ? 'virtio' : 'qxl');
      if (vhost) model.attrs = model.attrs.filter(([n]) => !['ram', 'vram64', 'vgamem'].includes(n));
      else for (const a of model.children) if (a.name === 'acceleration') a.attrs = a.attrs.filter(([n]) => n !== 'rendernode');
      if (!vhost && driver) driver.attrs = driver.attrs.filter(([n]) => !['iommu', 'ats', 'packed', 'page_per_vq'].includes(n));
    }
  },
  os(node) {
    // Every other <os>: a loader without firmware autoselection, so both are written.
    osCount++;
    if (osCount % 2 === 0 && node.children.some((c) => c.name === 'loader')) {
      node.attrs = node.attrs.filter(([n]) => n !== 'firmware');
      node.children = node.children.filter((c) => c.name !== 'firmware');
      for (const n of node.children) if (n.name === 'loader' && attr(n, 'type') === undefined) setAttr(n, 'type', 'pflash');
      for (const n of node.children) if (n.name === 'loader') n.attrs = n.attrs.filter(([a]) => a !== 'stateless');
    }
    if (attr(node, 'firmware') !== undefined) {
      node.children = node.children.filter((c) => c.name !== 'loader');
      for (const n of node.children) if (n.name === 'nvram') n.attrs = n.attrs.filter(([a]) => a !== 'template');
    }
  },
  disk(node) {
    const device = attr(node, 'device') ?? 'disk';
    const drop = (pred) => {
      const walk = (n) => { n.children = n.children.filter((c) => !pred(c, n)); n.children.forEach(walk); };
      walk(node);
    };
    const target = node.children.find((c) => c.name === 'target');
    if (target && attr(target, 'bus') !== 'usb') target.attrs = target.attrs.filter(([n]) => n !== 'removable');
    const source = node.children.find((c) => c.name === 'source');
    if (device === 'lun' && attr(node, 'type') === 'network' && source && attr(source, 'protocol') !== 'iscsi') setAttr(node, 'device', 'disk');
    if (attr(node, 'device') === 'lun') {
      setAttr(node, 'sgio', 'filtered');
      drop((c) => c.name === 'encryption');
    }
    if (attr(node, 'device') !== 'lun') {
      node.attrs = node.attrs.filter(([n]) => n !== 'sgio' && n !== 'rawio');
      drop((c) => c.name === 'reservations');
    } else drop((c) => c.name === 'slices');
    if (device !== 'cdrom' && device !== 'floppy') for (const t of node.children) if (t.name === 'target') t.attrs = t.attrs.filter(([n]) => n !== 'tray');
    if (attr(node, 'type') === 'vhostuser') for (const d of node.children) if (d.name === 'driver') {
      d.attrs = d.attrs.filter(([n]) => ['name', 'type', 'queues', 'queue_size'].includes(n));
      d.children = [];
    }
    if (attr(node, 'type') === 'vhostuser') node.children = node.children.filter((c) => ['source', 'target', 'driver', 'alias', 'address', 'boot'].includes(c.name));
  },
  interface(node) {
    const source = node.children.find((c) => c.name === 'source');
    if (!['network', 'bridge'].includes(attr(node, 'type')) || node.children.some((c) => c.name === 'virtualport')) node.children = node.children.filter((c) => c.name !== 'port');
    for (const d of node.children) if (d.name === 'driver' && attr(node, 'type') !== 'hostdev' && ['kvm', 'vfio', 'xen'].includes(attr(d, 'name'))) setAttr(d, 'name', 'vhost');
    if (source) for (const a of source.children) if (a.name === 'address' && attr(a, 'type') === undefined) setAttr(a, 'type', 'pci');
    if (attr(node, 'type') === 'hostdev') node.children = node.children.filter((c) => c.name !== 'address' || ['pci', 'unassigned'].includes(attr(c, 'type')));
    if (attr(node, 'type') === 'direct' && source && attr(source, 'mode') !== undefined) setAttr(source, 'mode', 'vepa');
  },
  numatune(node) {
    if (node.children.some((c) => c.name === 'memory' && attr(c, 'placement') === 'auto')) node.children = node.children.filter((c) => c.name !== 'memnode');
  },
  memory(node) {
    if (attr(node, 'model') === 'nvdimm') {
      node.attrs = node.attrs.filter(([n]) => n !== 'discard');
      node.children = node.children.filter((c) => c.name !== 'uuid');
    }
  },
  controller(node) {
    if (/^pcie?-root$/.test(attr(node, 'model') ?? '')) node.children = node.children.filter((c) => c.name !== 'address');
  },
  hostdev(node) {
    const type = attr(node, 'type');
    const want = { usb: 'usb', scsi: 'drive' }[type];
    if (want) node.children = node.children.filter((c) => c.name !== 'address' || attr(c, 'type') === want);
  },
  graphics(node) {
    if (attr(node, 'type') === 'rdp') node.children = node.children.filter((c) => c.name !== 'listen' || attr(c, 'type') !== 'socket');
  },
  iommu(node) {
    for (const d of node.children) if (d.name === 'driver') d.attrs = d.attrs.filter(([n]) => n !== 'intremap' && n !== 'eim');
  },
};

function attr(node, name) {
  return node.attrs.find(([n]) => n === name)?.[1];
}

function setAttr(node, name, value) {
  const a = node.attrs.find(([n]) => n === name);
  if (a) a[1] = value;
  else node.attrs.push([name, value]);
}

function sampleFromData(p) {
  const params = p.params ?? {};
  if (params.pattern !== undefined) {
    let v = fromPattern(params.pattern);
    if (/int|long|short|Integer/i.test(p.type) && v === '') v = '1';
    return v;
  }
  let v = SAMPLES[`:${p.type}`] ?? 'fx';
  if (/int|long|short|Integer/i.test(p.type)) {
    let n = Number(v);
    if (params.minInclusive !== undefined) n = Math.max(n, Number(params.minInclusive));
    if (params.minExclusive !== undefined) n = Math.max(n, Number(params.minExclusive) + 1);
    if (params.maxInclusive !== undefined) n = Math.min(n, Number(params.maxInclusive));
    if (params.maxExclusive !== undefined) n = Math.min(n, Number(params.maxExclusive) - 1);
    v = String(n);
  }
  if (params.minLength !== undefined && v.length < Number(params.minLength)) v = v.padEnd(Number(params.minLength), 'x');
  if (params.maxLength !== undefined) v = v.slice(0, Number(params.maxLength));
  return v;
}

// ---------------------------------------------------------------------------------------------
// Generating

class Impossible extends Error {}

const MAX_DEPTH = 9;
const MAX_SAME_DEFINE = 2;

export class Generator {
  constructor(schema, { seed = 20260101, samples = SAMPLES } = {}) {
    this.schema = schema;
    this.random = prng(seed);
    this.samples = samples;
    this.used = new Map(); // choice id → counts per branch
    this.structural = new Map();
    this.visited = new Set(); // structural choice ids met in the current subtree
  }

  /** Does this pattern (through refs) hold an element or attribute? Memoized, cycle-safe. */
  isStructural(p, seen = new Set()) {
    if (this.structural.has(p.id)) return this.structural.get(p.id);
    if (seen.has(p.id)) return false;
    seen.add(p.id);
    let r;
    if (p.t === 'element' || p.t === 'attribute') r = true;
    else if (p.t === 'ref') r = this.schema.defines.has(p.name) && this.isStructural(this.schema.defines.get(p.name), seen);
    else r = p.c.some((c) => this.isStructural(c, seen));
    this.structural.set(p.id, r);
    return r;
  }

  /** Choices met in the current subtree that still have a branch never taken. */
  untakenChoices() {
    return [...this.visited].filter((id) => this.used.get(id).some((n) => n === 0));
  }

  shuffle(list) {
    const a = [...list];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** Keys for a value at ctx: longest path suffix first, then the defines it came through. */
  keys(ctx) {
    const segs = ctx.path;
    const tail = ctx.attr !== undefined ? `@${ctx.attr}` : '/';
    const keys = [];
    for (let k = 0; k < segs.length; k++) keys.push(`${segs.slice(k).join('/')}${tail}`);
    if (ctx.attr !== undefined) keys.push(tail);
    for (const d of ctx.defs.slice(ctx.defsFrom).reverse()) keys.push(`#${d}`);
    return keys;
  }

  sample(ctx) {
    for (const k of this.keys(ctx)) if (this.samples[k] !== undefined) return this.samples[k];
    return undefined;
  }

  /** Is this element / attribute / attribute value one libvirt refuses here (see SKIP)? */
  skipped(ctx, what) {
    const text = `/${ctx.path.join('/')}${what}`;
    return SKIP.some((re) => re.test(text));
  }

  /** Value for an attribute or an element's text. */
  value(p, ctx) {
    const known = this.sample(ctx);
    if (known !== undefined) return typeof known === 'function' ? known(ctx) : known;
    if (p.t === 'data') return sampleFromData(p);
    return 'fx';
  }

  /** One element from its pattern: { name, attrs: [[n, v]], children: [node], text }. */
  element(p, ctx) {
    if (p.any) return { name: 'fx:item', attrs: [['xmlns:fx', 'http://example.org/fx'], ['fx:kind', 'sample']], children: [{ name: 'fx:note', attrs: [], children: [], text: 'kept as is' }], text: '' };
    if (p.ns) throw new Impossible(`foreign namespace ${p.ns}`);
    if (ctx.path.length > MAX_DEPTH) throw new Impossible('too deep');
    const inner = { defs: ctx.defs, defsFrom: ctx.defs.length, path: [...ctx.path, p.name] };
    if (this.skipped(inner, '')) throw new Impossible(`skipped ${inner.path.join('/')}`);
    const items = this.content({ t: 'group', c: p.c, id: -1 }, inner);
    const node = { name: p.name, attrs: [], children: [], text: '' };
    const seenAttrs = new Set();
    for (const it of items) {
      if (it.a) {
        if (!seenAttrs.has(it.a[0])) { seenAttrs.add(it.a[0]); node.attrs.push(it.a); }
      } else if (it.e) node.children.push(it.e);
      else if (it.t !== undefined) node.text += it.t;
    }
    const fix = FIXES[p.name];
    if (fix) fix(node, inner.path);
    node.attrs = this.shuffle(node.attrs);
    node.children = this.shuffle(node.children);
    return node;
  }

  content(p, ctx) {
    switch (p.t) {
      case 'element':
        return [{ e: this.element(p, ctx) }];
      case 'attribute': {
        if (p.any) throw new Impossible('any attribute');
        const actx = { ...ctx, attr: p.name, defsFrom: ctx.defs.length };
        if (this.skipped(actx, `@${p.name}`)) throw new Impossible(`skipped @${p.name}`);
        const parts = this.content({ t: 'group', c: p.c, id: -1 }, actx);
        const v = parts.map((x) => x.t ?? '').join('');
        if (this.skipped(actx, `@${p.name}=${v}`)) throw new Impossible(`skipped @${p.name}=${v}`);
        return [{ a: [p.name, v] }];
      }
      case 'group':
      case 'interleave':
      case 'define':
        return p.c.flatMap((c) => this.content(c, ctx));
      case 'optional':
      case 'zeroOrMore':
        try {
          return p.c.flatMap((c) => this.content(c, ctx));
        } catch (e) {
          if (e instanceof Impossible) return [];
          throw e;
        }
      case 'oneOrMore':
        return p.c.flatMap((c) => this.content(c, ctx));
      case 'choice':
        return this.choose(p, ctx);
      case 'ref': {
        const d = this.schema.defines.get(p.name);
        if (!d) throw new Impossible(`no define ${p.name}`);
        if (ctx.defs.filter((x) => x === p.name).length >= MAX_SAME_DEFINE) throw new Impossible(`recursion ${p.name}`);
        return this.content(d, { ...ctx, defs: [...ctx.defs, p.name] });
      }
      case 'empty':
        return [];
      case 'notAllowed':
        throw new Impossible('notAllowed');
      case 'text':
      case 'data':
        return [{ t: this.value(p, ctx) }];
      case 'value':
        if (ctx.attr !== undefined && this.skipped(ctx, `@${ctx.attr}=${p.value}`)) throw new Impossible('skipped value');
        return [{ t: p.value }];
      case 'list':
        return [{ t: p.c.flatMap((c) => this.content(c, ctx)).map((x) => x.t ?? '').join(' ') }];
      case 'mixed':
        return p.c.flatMap((c) => this.content(c, ctx));
      default:
        return [];
    }
  }

  choose(p, ctx) {
    if (!this.used.has(p.id)) this.used.set(p.id, p.c.map(() => 0));
    const counts = this.used.get(p.id);
    if (this.isStructural(p)) this.visited.add(p.id);
    const order = p.c.map((_, i) => i).sort((x, y) => counts[x] - counts[y] || x - y);
    // A value the sample table names for this place goes first when it is one of the branches.
    if (!this.isStructural(p)) {
      const known = this.sample(ctx);
      const at = p.c.findIndex((b) => b.t === 'value' && b.value === known);
      if (at >= 0) order.unshift(...order.splice(order.indexOf(at), 1));
    }
    let last;
    for (const i of order) {
      try {
        const r = this.content(p.c[i], ctx);
        counts[i]++;
        return r;
      } catch (e) {
        if (!(e instanceof Impossible)) throw e;
        last = e;
      }
    }
    throw last ?? new Impossible('empty choice');
  }
}

// ---------------------------------------------------------------------------------------------
// Serializing

const escapeAttr = (s, q) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(q === '"' ? /"/g : /'/g, q === '"' ? '&quot;' : '&apos;');
const escapeText = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** XML text for a node tree, with this fixture's indentation and quote style. */
export function serialize(node, { indent = '  ', quote = "'" } = {}, level = 0) {
  const pad = indent === null ? '' : indent.repeat(level);
  const nl = indent === null ? '' : '\n';
  const attrs = node.attrs.map(([n, v]) => ` ${n}=${quote}${escapeAttr(v, quote)}${quote}`).join('');
  if (node.children.length === 0 && node.text === '') return `${pad}<${node.name}${attrs}/>${nl}`;
  if (node.children.length === 0) return `${pad}<${node.name}${attrs}>${escapeText(node.text)}</${node.name}>${nl}`;
  return `${pad}<${node.name}${attrs}>${escapeText(node.text)}${nl}${node.children.map((c) => serialize(c, { indent, quote }, level + 1)).join('')}${pad}</${node.name}>${nl}`;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const el = (name, attrs = [], children = [], text = '') => ({ name, attrs, children, text });

/** The base every fixture starts from: the least libvirt's test driver accepts. */
export function baseDomain(name, slot = '') {
  const children = [
    el('name', [], [], name),
    el('memory', [['unit', 'KiB']], [], '1048576'),
    el('vcpu', [], [], '2'),
    el('iothreads', [], [], '2'),
    el('os', [], [el('type', [['arch', 'x86_64']], [], 'hvm')]),
    el('devices'),
  ];
  // What some parts need elsewhere in the domain: a NUMA cell, room for memory devices.
  if (['domain/numatune', 'domain/memoryBacking', 'devices/memory', 'domain/cputune'].includes(slot)) {
    children.push(el('cpu', [], [el('numa', [], [el('cell', [['id', '0'], ['cpus', '0-1'], ['memory', '1048576'], ['unit', 'KiB']])])]));
  }
  if (slot === 'devices/redirdev' || slot === 'devices/hub') children.find((c) => c.name === 'devices').children.push(el('controller', [['type', 'usb'], ['index', '0'], ['model', 'qemu-xhci']]));
  if (slot === 'devices/memory') children.push(el('maxMemory', [['slots', '16'], ['unit', 'KiB']], [], '16777216'));
  return el('domain', [['type', 'test']], children);
}

/** Element patterns reachable from `p`'s content without passing through another element. */
export function childElements(schema, p) {
  const out = [];
  const seen = new Set();
  const go = (q) => {
    if (seen.has(q.id)) return;
    seen.add(q.id);
    if (q.t === 'element') { out.push(q); return; }
    if (q.t === 'ref') { const d = schema.defines.get(q.name); if (d) go(d); return; }
    for (const c of q.c) go(c);
  };
  for (const c of p.c) go(c);
  return out;
}

/**
 * Slots: every element pattern directly under <domain> or under <devices>. Returns
 * [{ parent: 'domain' | 'devices', pattern }].
 */
export function slots(schema) {
  const domainEl = childElements(schema, schema.start).find((p) => p.name === 'domain');
  const top = childElements(schema, domainEl);
  const result = [];
  for (const p of top) {
    if (p.ns) continue;
    if (p.name === 'devices') {
      for (const d of childElements(schema, p)) if (!d.ns) result.push({ parent: 'devices', pattern: d });
    } else if (p.name !== 'name') result.push({ parent: 'domain', pattern: p });
  }
  return result;
}

/**
 * The fixtures: [{ id, slot, xml }]. Each slot gets subtrees until every structural choice met in
 * it has had each branch once (at most `maxPerSlot`).
 */
export function generateFixtures({ seed = 20260101, maxPerSlot = 12, schema = loadSchema(), samples } = {}) {
  osCount = 0;
  const gen = new Generator(schema, { seed, samples });
  const fixtures = [];
  const counts = new Map();
  for (const slot of slots(schema)) {
    const p = slot.pattern;
    for (let k = 0; k < maxPerSlot; k++) {
      gen.visited = new Set();
      let node;
      try {
        node = gen.element(p, { defs: [], path: slot.parent === 'devices' ? ['domain', 'devices'] : ['domain'] });
      } catch (e) {
        if (e instanceof Impossible) break;
        throw e;
      }
      const n = (counts.get(p.name) ?? 0) + 1;
      counts.set(p.name, n);
      const id = `${slot.parent === 'devices' ? 'devices-' : ''}${p.name}-${n}`;
      const dom = baseDomain(`fx-${id}`.replace(/[^a-zA-Z0-9_.-]/g, '_'), `${slot.parent}/${p.name}`);
      if (slot.parent === 'devices') dom.children.find((c) => c.name === 'devices').children.push(node);
      else {
        const at = dom.children.findIndex((c) => c.name === p.name);
        if (at >= 0) dom.children[at] = node;
        else dom.children.push(node);
      }
      dom.children = gen.shuffle(dom.children);
      const devices = dom.children.find((c) => c.name === 'devices');
      if (devices) devices.children = gen.shuffle(devices.children);
      const style = { indent: ['  ', '    ', '\t', null][Math.floor(gen.random() * 4)], quote: gen.random() < 0.5 ? "'" : '"' };
      fixtures.push({ id, slot: `${slot.parent}/${p.name}`, xml: serialize(dom, style) });
      if (gen.untakenChoices().length === 0) break;
    }
  }
  return fixtures;
}
