// Generates a realistic fleet of domain XML for benchmarks: KVM and Xen guests, on-disk and
// live-dump styles, every memory unit spelling, bridge/network/direct/user NICs, 1–9 KB each,
// spread over 40 host folders. Deterministic for a given size, so runs compare like with like.
import { mkdirSync, writeFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, seedable; the fuzz test draws its mutations from it too. */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (rand, n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

function mac(rand, prefix) {
  return `${prefix}:${hex(rand, 2)}:${hex(rand, 2)}:${hex(rand, 2)}`;
}

function domainXml(i, rand) {
  const xen = rand() < 0.15;
  const live = !xen && rand() < 0.25;
  const name = `${xen ? 'xen' : 'vm'}-${String(i).padStart(6, '0')}`;
  const uuid = `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;
  const mem = pick(rand, [
    ["<memory unit='KiB'>4194304</memory>", "<currentMemory unit='KiB'>4194304</currentMemory>"],
    ['<memory>2097152</memory>', '<currentMemory>2097152</currentMemory>'],
    ["<memory unit='GiB'>8</memory>", "<currentMemory unit='GiB'>8</currentMemory>"],
    ["<memory unit='MB'>3000</memory>", "<currentMemory unit='MB'>3000</currentMemory>"],
    ["<memory unit='M'>1024</memory>", ''],
  ]);
  const nicCount = 1 + Math.floor(rand() * 3);
  const nics = [];
  for (let n = 0; n < nicCount; n++) {
    const kind = pick(rand, ['bridge', 'bridge', 'network', 'network', 'direct', 'user']);
    const address = mac(rand, xen ? '00:16:3e' : '52:54:00');
    const model = xen ? '' : "\n      <model type='virtio'/>";
    const target = live ? `\n      <target dev='vnet${i % 500 + n}'/>` : '';
    const alias = live ? `\n      <alias name='net${n}'/>` : '';
    if (kind === 'bridge') nics.push(`    <interface type='bridge'>\n      <mac address='${address}'/>\n      <source bridge='br${Math.floor(rand() * 4)}'/>${target}${model}${alias}\n    </interface>`);
    else if (kind === 'network') nics.push(`    <interface type='network'>\n      <mac address='${address}'/>\n      <source network='${pick(rand, ['default', 'prod', 'backup'])}'${live ? ` portid='${uuid}' bridge='virbr0'` : ''}/>${target}${model}${alias}\n    </interface>`);
    else if (kind === 'direct') nics.push(`    <interface type='direct'>\n      <mac address='${address}'/>\n      <source dev='eno${n + 1}' mode='bridge'/>${model}${alias}\n    </interface>`);
    else nics.push(`    <interface type='user'>\n      <mac address='${address}'/>${model}\n    </interface>`);
  }
  const diskCount = 1 + Math.floor(rand() * 4);
  const disks = [];
  for (let d = 0; d < diskCount; d++) {
    const dev = xen ? `xvd${'abcd'[d]}` : `vd${'abcd'[d]}`;
    const bus = xen ? 'xen' : 'virtio';
    if (rand() < 0.3) disks.push(`    <disk type='block' device='disk'>\n      <driver name='${xen ? 'phy' : 'qemu'}' type='raw'/>\n      <source dev='/dev/vg${d}/${name}'/>\n      <target dev='${dev}' bus='${bus}'/>\n    </disk>`);
    else disks.push(`    <disk type='file' device='disk'>\n      <driver name='${xen ? 'tap' : 'qemu'}' type='${xen ? 'aio' : 'qcow2'}'/>\n      <source file='/var/lib/libvirt/images/${name}-${d}.qcow2'${live ? ` index='${d + 1}'` : ''}/>\n      <target dev='${dev}' bus='${bus}'/>${live ? `\n      <alias name='virtio-disk${d}'/>` : ''}\n    </disk>`);
  }
  const extras = [];
  const extraCount = Math.floor(rand() * 6);
  for (let e = 0; e < extraCount; e++) {
    extras.push(pick(rand, [
      "    <controller type='usb' index='0' model='qemu-xhci'/>",
      "    <serial type='pty'>\n      <target type='isa-serial' port='0'>\n        <model name='isa-serial'/>\n      </target>\n    </serial>",
      "    <channel type='unix'>\n      <target type='virtio' name='org.qemu.guest_agent.0'/>\n    </channel>",
      "    <input type='tablet' bus='usb'/>",
      "    <video>\n      <model type='virtio' heads='1' primary='yes'/>\n    </video>",
      "    <rng model='virtio'>\n      <backend model='random'>/dev/urandom</backend>\n    </rng>",
      "    <memballoon model='virtio'/>",
    ]));
  }
  // q35 definitions written by libvirt carry a pcie-root-port per slot: most of a real file's bulk.
  const ports = xen ? 0 : Math.floor(rand() * 30);
  for (let p = 1; p <= ports; p++) {
    extras.push(`    <controller type='pci' index='${p}' model='pcie-root-port'>\n      <model name='pcie-root-port'/>\n      <target chassis='${p}' port='0x${(0x10 + p).toString(16)}'/>\n      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x${(p % 8).toString(16)}'${p % 8 === 1 ? " multifunction='on'" : ''}/>\n    </controller>`);
  }
  const graphics = rand() < 0.6
    ? (rand() < 0.5
      ? `    <graphics type='vnc' port='${live ? 5900 + (i % 100) : -1}' autoport='yes' listen='${pick(rand, ['127.0.0.1', '0.0.0.0'])}'/>`
      : "    <graphics type='spice' autoport='yes'>\n      <listen type='address'/>\n    </graphics>")
    : '';
  const description = rand() < 0.3 ? `  <description>${'Service host for team ' + hex(rand, 6) + '. '.repeat(1 + Math.floor(rand() * 40)) + 'Runbook: https://wiki.example.com/ops/' + hex(rand, 8) + ' Contact the on-call engineer before any change.'.repeat(Math.floor(rand() * 30))}</description>\n` : '';
  const os = xen
    ? "  <bootloader>/usr/bin/pygrub</bootloader>\n  <os>\n    <type>linux</type>\n  </os>"
    : `  <os>\n    <type arch='x86_64' machine='${pick(rand, ['pc-q35-7.2', 'pc-i440fx-7.2', 'q35'])}'>hvm</type>\n    <boot dev='hd'/>\n  </os>\n  <features>\n    <acpi/>\n    <apic/>\n  </features>`;
  return `<domain type='${xen ? 'xen' : 'kvm'}'${live ? ` id='${i % 300 + 1}'` : ''}>
  <name>${name}</name>
  <uuid>${uuid}</uuid>
${description}  ${mem.filter(Boolean).join('\n  ')}
  <vcpu placement='static'>${1 + Math.floor(rand() * 16)}</vcpu>
${os}
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>${xen ? '/usr/lib/xen/bin/qemu-dm' : '/usr/bin/qemu-system-x86_64'}</emulator>
${[...disks, ...nics, ...extras, graphics].filter(Boolean).join('\n')}
  </devices>
</domain>
`;
}

/** Writes `count` files under `dir` (40 host folders) unless a fleet of that size is already there. */
export function generateFleet(dir, count) {
  // The marker sits beside the fleet, not in it: peers given the folder must see only XML.
  const marker = `${dir}.complete-${count}`;
  if (existsSync(marker)) return dir;
  if (existsSync(dir)) rmSync(dir, { recursive: true });
  const rand = prng(count);
  for (let i = 0; i < count; i++) {
    const host = join(dir, `host-${String(i % 40).padStart(2, '0')}`);
    if (i < 40) mkdirSync(host, { recursive: true });
    writeFileSync(join(host, `vm-${String(i).padStart(6, '0')}.xml`), domainXml(i, rand));
  }
  writeFileSync(marker, '');
  return dir;
}

export function fleetFiles(dir) {
  return readdirSync(dir).filter((h) => h.startsWith('host-')).sort()
    .flatMap((h) => readdirSync(join(dir, h)).sort().map((f) => join(dir, h, f)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count] = process.argv.slice(2);
  generateFleet(dir, Number(count));
  console.log(`${count} domain files in ${dir}`);
}
