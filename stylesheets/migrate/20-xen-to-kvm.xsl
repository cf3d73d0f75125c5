<?xml version="1.0" encoding="UTF-8"?>
<!--
  migrate/20-xen-to-kvm.xsl — stage 20, Xen PV/HVM guests to KVM guests (reference §6, with
  virt-v2v's choices as the guide). Mode m:kvm, run after m:legacy when the target is kvm.
  Keeps everything it has no reason to touch: name, UUID, MACs, metadata, comments, other
  devices. A PV guest that boots a kernel from the host has nothing on its disk KVM can boot:
  refused with err:unsafe-migration unless $m:force.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:domfleet:migrate"
    xmlns:e="urn:domfleet:error-codes" xmlns:f="urn:domfleet:functions" exclude-result-prefixes="#all">

  <xsl:param name="m:machine" as="xs:string" select="'pc'"/>
  <!-- Empty: chosen per guest, virtio, or an emulated bus and NIC for a Windows guest. -->
  <xsl:param name="m:disk-bus" as="xs:string" select="''"/>
  <xsl:param name="m:nic-model" as="xs:string" select="''"/>
  <xsl:param name="m:emulator" as="xs:string" select="'/usr/bin/qemu-system-x86_64'"/>
  <!-- UEFI firmware for a guest that booted Xen's: empty lets libvirt choose (os firmware='efi'). -->
  <xsl:param name="m:firmware" as="xs:string" select="''"/>
  <xsl:param name="m:force" as="xs:boolean" select="false()"/>

  <xsl:variable name="m:kvm-rules" as="map(xs:string, xs:string)" select="map {
    'kvm-domain-type': 'domain type xen becomes kvm (the QEMU driver refuses xen)',
    'kvm-os-type': 'os type linux/xen/xenpvh becomes hvm on x86_64 with the chosen machine type',
    'kvm-bootloader': 'host-side &lt;bootloader&gt; (pygrub) and its &lt;bootloader_args&gt; removed: the guest boots its own bootloader from its disk',
    'kvm-pxe-boot': 'Xen pypxeboot (the &lt;bootloader&gt;, network boot run on the host) and its &lt;bootloader_args&gt; removed: the guest boots from the network (boot dev=network), as KVM does it itself',
    'kvm-hvmloader': 'Xen hvmloader (the &lt;loader&gt;) removed: KVM boots with its default BIOS',
    'kvm-firmware': 'Xen-only UEFI firmware (the &lt;loader&gt;, and its &lt;nvram&gt;) replaced: libvirt picks a UEFI firmware of the host for KVM (os firmware=efi), or the one given with --firmware',
    'kvm-direct-boot': 'kernel command line: Xen device and console names (xvda, xvc0, hvc0) renamed for KVM',
    'kvm-emulator': 'Xen device model replaced by the host QEMU',
    'kvm-disk-bus': 'Xen/IDE disk moved to the chosen bus, target renamed as libvirt expects there, its old drive &lt;address&gt; dropped (libvirt assigns one on the new bus)',
    'kvm-disk-driver': 'Xen disk driver (phy, file, tap, tap2) becomes qemu, raw unless a format is given',
    'kvm-nic-model': 'Xen netfront (or no model) becomes the chosen NIC model',
    'kvm-nic-script': 'Xen vif script removed: QEMU refuses scripts on bridge and network NICs',
    'kvm-nic-target': 'Xen-generated vifN.M target removed',
    'kvm-console': 'Xen console becomes a serial console (guest console moves from xvc0/hvc0 to ttyS0)',
    'kvm-channel': 'Xen PV channel becomes a virtio channel',
    'kvm-input': 'Xen input bus becomes PS/2',
    'kvm-video': 'Xen video becomes VGA',
    'kvm-memballoon': 'Xen balloon becomes virtio',
    'kvm-xenbus': 'xenbus controller removed',
    'kvm-features': 'Xen-only features (hap, viridian, and &lt;xen&gt; with its e820_host and passthrough) removed; acpi and apic added for the HVM guest',
    'kvm-hostdev': 'Xen PCI passthrough backend becomes the KVM default (vfio)',
    'kvm-windows': 'Windows guest (viridian or hyperv features, clock in local time, a libosinfo Windows id, or a Windows name): disks kept on IDE (SATA on q35) and NICs on e1000, which Windows has drivers for; virtio needs the virtio-win drivers installed in the guest first',
    'kvm-windows-virtio': 'Windows guest moved to virtio as asked: install the virtio-win drivers in the guest before its first boot under KVM, or it will not find its disk or network',
    'kvm-lifecycle': 'lifecycle actions QEMU refuses (rename-restart, preserve on poweroff/reboot) replaced'
  }"/>

  <xsl:mode name="m:kvm" on-no-match="shallow-copy" on-multiple-match="fail"/>


  <xsl:template mode="m:kvm" match="/domain">
    <xsl:variable name="pv" select="normalize-space(os/type) != 'hvm'"/>
    <xsl:if test="$pv and os/kernel and empty(bootloader) and not($m:force)">
      <xsl:sequence select="error($e:unsafe-migration,
        'Xen PV guest boots the host kernel ' || normalize-space(os/kernel) ||
        ' and has no bootloader: a Xen PV kernel does not boot under KVM and nothing shows the disk holds one that does. Install a bootloader and a non-Xen kernel in the guest and set &lt;bootloader&gt;, or use --force to keep direct kernel boot.')"/>
    </xsl:if>
    <xsl:copy>
      <xsl:apply-templates mode="m:kvm" select="@*"/>
      <xsl:attribute name="type" select="if (@type = 'xen') then 'kvm' else @type"/>
      <xsl:if test="@type = 'xen'"><xsl:sequence select="m:mark('kvm-domain-type')"/></xsl:if>
      <xsl:if test="m:windows(.)">
        <xsl:if test="$m:disk-bus = '' or $m:nic-model = ''"><xsl:sequence select="m:mark('kvm-windows')"/></xsl:if>
        <xsl:if test="$m:disk-bus = 'virtio' or $m:nic-model = 'virtio'"><xsl:sequence select="m:mark('kvm-windows-virtio')"/></xsl:if>
      </xsl:if>
      <xsl:if test="bootloader | bootloader_args">
        <xsl:sequence select="m:mark(if (m:pxe(.)) then 'kvm-pxe-boot' else 'kvm-bootloader')"/>
      </xsl:if>
      <xsl:apply-templates mode="m:kvm" select="node()"/>
      <!-- Old xend guests with a bootloader could omit <os>; KVM needs one. -->
      <xsl:if test="empty(os)">
        <os>
          <type arch="x86_64" machine="{$m:machine}"><xsl:sequence select="m:mark('kvm-os-type')"/>hvm</type>
          <xsl:if test="m:pxe(.)"><boot dev="network"/></xsl:if>
        </os>
      </xsl:if>
      <xsl:if test="$pv and empty(features)">
        <features><xsl:sequence select="m:mark('kvm-features')"/><acpi/><apic/></features>
      </xsl:if>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="/domain/(bootloader | bootloader_args)"/>

  <!-- A Windows guest, by the hints a Xen definition gives (docs/migrate.md): Windows has no
       virtio drivers out of the box, so it keeps emulated devices unless asked otherwise. -->
  <xsl:function name="m:windows" as="xs:boolean">
    <xsl:param name="domain" as="element()"/>
    <xsl:sequence select="exists($domain/features/(viridian | hyperv))
      or $domain/clock/(@offset | @sync) = 'localtime'
      or (some $id in $domain/metadata/*:libosinfo/*:os/@id satisfies contains($id, 'microsoft.com/win'))
      or matches(string-join(($domain/name, $domain/title), ' '), '(^|[^a-z])(win(dows|xp|nt|2k|[0-9])|w2k)', 'i')"/>
  </xsl:function>

  <!-- The bus converted disks go to, and the model converted NICs get, for this guest. -->
  <xsl:function name="m:disk-bus-for" as="xs:string">
    <xsl:param name="domain" as="element()"/>
    <xsl:sequence select="if ($m:disk-bus != '') then $m:disk-bus
      else if (m:windows($domain)) then (if ($m:machine = 'q35') then 'sata' else 'ide') else 'virtio'"/>
  </xsl:function>
  <xsl:function name="m:nic-model-for" as="xs:string">
    <xsl:param name="domain" as="element()"/>
    <xsl:sequence select="if ($m:nic-model != '') then $m:nic-model else if (m:windows($domain)) then 'e1000' else 'virtio'"/>
  </xsl:function>

  <!-- A guest that booted through pypxeboot (Xen's host-side network boot): it has no
       bootloader on its disk to boot; under KVM it boots from the network itself. -->
  <xsl:function name="m:pxe" as="xs:boolean">
    <xsl:param name="domain" as="element()"/>
    <xsl:sequence select="contains($domain/bootloader, 'pxeboot')"/>
  </xsl:function>

  <!-- UEFI firmware built for Xen (OVMF's Xen flavour, or any firmware under a xen folder): it
       does not boot under KVM. hvmloader is Xen's BIOS, handled below. -->
  <xsl:function name="m:xen-uefi" as="xs:boolean">
    <xsl:param name="loader" as="element()?"/>
    <xsl:sequence select="exists($loader) and not(contains($loader, 'hvmloader'))
      and matches($loader, '(^|/)[^/]*xen[^/]*$|/xen/', 'i')"/>
  </xsl:function>

  <xsl:template mode="m:kvm" match="/domain/os">
    <xsl:variable name="xen-uefi" select="m:xen-uefi(loader)"/>
    <xsl:copy>
      <xsl:apply-templates mode="m:kvm" select="@* except @firmware[$xen-uefi]"/>
      <xsl:if test="$xen-uefi">
        <xsl:sequence select="m:mark('kvm-firmware')"/>
        <xsl:if test="$m:firmware = ''"><xsl:attribute name="firmware" select="'efi'"/></xsl:if>
      </xsl:if>
      <xsl:if test="loader[contains(., 'hvmloader')]"><xsl:sequence select="m:mark('kvm-hvmloader')"/></xsl:if>
      <xsl:apply-templates mode="m:kvm" select="node()"/>
      <xsl:if test="m:pxe(..) and empty(boot) and empty(../devices/*/boot)"><boot dev="network"/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <!-- The Xen firmware goes, and with it the NVRAM file it kept its variables in (Xen's layout);
       the firmware option names the KVM firmware to boot instead. -->
  <xsl:template mode="m:kvm" match="/domain/os/loader[m:xen-uefi(.)]">
    <xsl:if test="$m:firmware != ''">
      <loader readonly="yes" type="pflash"><xsl:value-of select="$m:firmware"/></loader>
    </xsl:if>
  </xsl:template>
  <xsl:template mode="m:kvm" match="/domain/os/nvram[m:xen-uefi(../loader)]"/>

  <xsl:template mode="m:kvm" match="/domain/os/type">
    <xsl:choose>
      <xsl:when test="normalize-space() = ('linux', 'xen', 'xenpvh') or @machine = ('xenpv', 'xenfv', 'xenpvh') or ../../@type = 'xen'">
        <type arch="x86_64" machine="{$m:machine}">
          <xsl:sequence select="m:mark('kvm-os-type')"/>
          <xsl:text>hvm</xsl:text>
        </type>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template mode="m:kvm" match="/domain/os/loader[contains(., 'hvmloader')]"/>

  <xsl:template mode="m:kvm" match="/domain/os/cmdline[matches(., 'xvd|xvc0|hvc0')]">
    <xsl:variable name="prefix" select="f:target-prefix(m:disk-bus-for(/domain))"/>
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-direct-boot')"/>
      <xsl:value-of select="replace(replace(., '(^|[=/ ])xvd([a-z])', '$1' || $prefix || '$2'), 'console=(xvc0|hvc0)', 'console=ttyS0')"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/emulator">
    <emulator>
      <xsl:if test=". != $m:emulator"><xsl:sequence select="m:mark('kvm-emulator')"/></xsl:if>
      <xsl:value-of select="$m:emulator"/>
    </emulator>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices">
    <xsl:copy>
      <xsl:apply-templates mode="m:kvm" select="@*"/>
      <xsl:if test="controller[@type = 'xenbus']"><xsl:sequence select="m:mark('kvm-xenbus')"/></xsl:if>
      <xsl:if test="empty(emulator)">
        <emulator><xsl:sequence select="m:mark('kvm-emulator')"/><xsl:value-of select="$m:emulator"/></emulator>
      </xsl:if>
      <xsl:apply-templates mode="m:kvm" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Disks on the Xen bus (and IDE, which a KVM guest would keep only without virtio drivers)
       move to the chosen bus, named in document order as libvirt names disks there (normalize
       puts the new target back in libvirt's place among the disk's children). -->
  <!-- Disks on the Xen bus move to the chosen bus; so do IDE disks, unless IDE is the bus. -->
  <xsl:function name="m:moving-disk" as="xs:boolean">
    <xsl:param name="disk" as="element()"/>
    <xsl:sequence select="($disk/@device = ('disk', '') or empty($disk/@device))
      and ($disk/target/@bus = 'xen' or ($disk/target/@bus = 'ide' and m:disk-bus-for(root($disk)/domain) != 'ide'))"/>
  </xsl:function>

  <!-- The target names disks that stay where they are keep (a CD-ROM moved off the Xen bus
       takes hd or sd with its letter): moved disks take the free names after them. -->
  <xsl:function name="m:kept-targets" as="xs:string*">
    <xsl:param name="domain" as="element()"/>
    <xsl:sequence select="$domain/devices/disk[not(m:moving-disk(.))]/target/(
      if (@bus = 'xen' and ../@device = 'cdrom') then replace(@dev, '^xvd', if ($m:machine = 'q35') then 'sd' else 'hd') else string(@dev))"/>
  </xsl:function>

  <xsl:template mode="m:kvm" match="devices/disk[m:moving-disk(.)]">
    <xsl:variable name="me" select="."/>
    <xsl:variable name="moving" select="../disk[m:moving-disk(.)]"/>
    <xsl:variable name="bus" select="m:disk-bus-for(/domain)"/>
    <xsl:variable name="kept" select="m:kept-targets(/domain)"/>
    <xsl:variable name="free" select="(for $i in 0 to count($moving) + count($kept) return f:target-prefix($bus) || f:disk-letters($i))[not(. = $kept)]"/>
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-disk-bus')"/>
      <xsl:apply-templates mode="m:kvm" select="@*, node() except (target, address)"/>
      <xsl:if test="empty(driver)"><driver name="qemu" type="raw"/></xsl:if>
      <target dev="{$free[count($moving[. &lt;&lt; $me]) + 1]}" bus="{$bus}"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/disk/driver[@name = ('phy', 'file', 'tap', 'tap2')]">
    <driver>
      <xsl:attribute name="name" select="'qemu'"/>
      <xsl:attribute name="type" select="if (@type = ('qcow2', 'vmdk', 'qed', 'vpc', 'vhdx', 'raw')) then @type else 'raw'"/>
      <xsl:apply-templates mode="m:kvm" select="@* except (@name, @type)"/>
      <xsl:sequence select="m:mark('kvm-disk-driver')"/>
    </driver>
  </xsl:template>


  <!-- CD-ROMs on the Xen bus move to a bus KVM can emulate for them. -->
  <xsl:template mode="m:kvm" match="devices/disk[@device = 'cdrom'][target/@bus = 'xen']/target">
    <target dev="{replace(@dev, '^xvd', if ($m:machine = 'q35') then 'sd' else 'hd')}" bus="{if ($m:machine = 'q35') then 'sata' else 'ide'}"
><xsl:sequence select="m:mark('kvm-disk-bus')"/></target>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/interface">
    <xsl:variable name="model" select="string(model/@type)"/>
    <xsl:copy>
      <xsl:apply-templates mode="m:kvm" select="@*"/>
      <xsl:if test="$model = ('', 'netfront')"><xsl:sequence select="m:mark('kvm-nic-model')"/></xsl:if>
      <xsl:if test="script and @type != 'ethernet'"><xsl:sequence select="m:mark('kvm-nic-script')"/></xsl:if>
      <xsl:if test="target[matches(@dev, '^vif')]"><xsl:sequence select="m:mark('kvm-nic-target')"/></xsl:if>
      <xsl:apply-templates mode="m:kvm" select="node() except (model[@type = 'netfront'], script[../@type != 'ethernet'], target[matches(@dev, '^vif')])"/>
      <xsl:if test="$model = ('', 'netfront')"><model type="{m:nic-model-for(/domain)}"/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/console">
    <console type="{(@type, 'pty')[1]}">
      <xsl:if test="empty(target) or target/@type = 'xen'"><xsl:sequence select="m:mark('kvm-console')"/></xsl:if>
      <xsl:apply-templates mode="m:kvm" select="@* except (@type, @tty), node() except target"/>
      <target type="serial" port="{(target/@port, '0')[1]}"/>
    </console>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/channel/target[@type = 'xen']">
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-channel')"/>
      <xsl:apply-templates mode="m:kvm" select="@*"/>
      <xsl:attribute name="type" select="'virtio'"/>
      <xsl:apply-templates mode="m:kvm" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/input[@bus = 'xen']">
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-input')"/>
      <xsl:apply-templates mode="m:kvm" select="@* except @bus"/>
      <xsl:attribute name="bus" select="if (@type = 'tablet') then 'usb' else 'ps2'"/>
      <xsl:apply-templates mode="m:kvm" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/video/model[@type = 'xen']">
    <model type="vga" vram="16384" heads="1">
      <xsl:sequence select="m:mark('kvm-video')"/>
      <xsl:apply-templates mode="m:kvm" select="@primary"/>
    </model>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/memballoon[@model = 'xen']">
    <memballoon model="virtio">
      <xsl:sequence select="m:mark('kvm-memballoon')"/>
    </memballoon>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/controller[@type = 'xenbus']"/>

  <xsl:template mode="m:kvm" match="/domain/features[hap | viridian | xen]">
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-features')"/>
      <xsl:apply-templates mode="m:kvm" select="@*, node() except (hap | viridian | xen)"/>
      <xsl:if test="empty(acpi)"><acpi/></xsl:if>
      <xsl:if test="empty(apic)"><apic/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="devices/hostdev[driver/@name = 'xen']">
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-hostdev')"/>
      <xsl:apply-templates mode="m:kvm" select="@*, node() except driver[@name = 'xen']"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:kvm" match="/domain/on_crash[. = 'rename-restart'] | /domain/(on_poweroff | on_reboot)[. = ('preserve', 'rename-restart')]">
    <xsl:copy>
      <xsl:sequence select="m:mark('kvm-lifecycle')"/>
      <xsl:value-of select="if (self::on_poweroff) then 'destroy' else 'restart'"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
