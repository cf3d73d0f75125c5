// Prefixes every query may use without declaring them: the driver namespaces libvirt defines and
// the metadata namespaces common in real fleets.
export const LIBVIRT_NAMESPACES: Readonly<Record<string, string>> = {
  qemu: 'http://libvirt.org/schemas/domain/qemu/1.0',
  lxc: 'http://libvirt.org/schemas/domain/lxc/1.0',
  bhyve: 'http://libvirt.org/schemas/domain/bhyve/1.0',
  vmware: 'http://libvirt.org/schemas/domain/vmware/1.0',
  xen: 'http://libvirt.org/schemas/domain/xen/1.0',
  ch: 'http://libvirt.org/schemas/domain/ch/1.0',
  libosinfo: 'http://libosinfo.org/xmlns/libvirt/domain/1.0',
  'ovirt-vm': 'http://ovirt.org/vm/1.0',
  'ovirt-tune': 'http://ovirt.org/vm/tune/1.0',
};
