<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize/values.xsl — values written the way libvirt writes them (reference §3, §5):
  memory in KiB rounded up, MAC and UUID spellings, PCI address digits, the defaults libvirt fills
  in, and legacy spellings read the modern way. Mode n:normal: an identity copy with these rules
  (and runtime.xsl's) on top. Order is not their job: the writer puts everything in libvirt's
  order (normalize/layout.json).
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:f="urn:domfleet:functions"
    xmlns:n="urn:domfleet:normalize" exclude-result-prefixes="#all">

  <xsl:mode name="n:normal" on-no-match="shallow-copy" on-multiple-match="fail"/>

  <!-- Is this an HVM guest (as opposed to Xen PV, LXC, OpenVZ …)? -->
  <xsl:function name="n:hvm" as="xs:boolean">
    <xsl:param name="domain" as="element()"/>
    <xsl:sequence select="normalize-space($domain/os/type) = 'hvm'"/>
  </xsl:function>

  <!-- ===== Memory sizes: unit='KiB', rounded up ===== -->
  <xsl:template mode="n:normal" match="/domain/memory | /domain/currentMemory | /domain/maxMemory
      | memtune/* | devices/memory/target/size | devices/memory/target/requested
      | devices/memory/target/block | devices/controller/pcihole64">
    <xsl:variable name="kib" select="f:to-kib(string(.), @unit)"/>
    <xsl:choose>
      <xsl:when test="exists($kib)">
        <xsl:copy>
          <xsl:apply-templates mode="n:normal" select="@* except @unit"/>
          <xsl:attribute name="unit" select="'KiB'"/>
          <xsl:value-of select="$kib"/>
        </xsl:copy>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- libvirt reads a topology without dies as one die, and writes it so. -->
  <xsl:template mode="n:normal" match="/domain/cpu/topology[empty(@dies)]">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*"/>
      <xsl:attribute name="dies" select="'1'"/>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="n:normal" match="cpu/numa/cell">
    <xsl:variable name="kib" select="f:to-kib(string(@memory), @unit)"/>
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@* except (@memory, @unit)"/>
      <xsl:choose>
        <xsl:when test="exists($kib)">
          <xsl:attribute name="memory" select="$kib"/>
          <xsl:attribute name="unit" select="'KiB'"/>
        </xsl:when>
        <xsl:otherwise><xsl:copy-of select="@memory, @unit"/></xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- currentMemory: missing, zero or above memory means equal to memory. -->
  <xsl:template mode="n:normal" match="/domain/memory" priority="2">
    <xsl:next-match/>
    <xsl:variable name="memory" select="f:to-kib(string(.), @unit)"/>
    <xsl:variable name="current" select="../currentMemory ! f:to-kib(string(.), @unit)"/>
    <xsl:if test="exists($memory) and (empty(../currentMemory) or (exists($current) and ($current = 0 or $current gt $memory)))">
      <currentMemory unit="KiB"><xsl:value-of select="$memory"/></currentMemory>
    </xsl:if>
  </xsl:template>
  <!-- Dropped (the memory template above writes it again): wins over the unit template. -->
  <xsl:template mode="n:normal" priority="2" match="/domain/currentMemory[
      let $m := ../memory ! f:to-kib(string(.), @unit), $c := f:to-kib(string(.), @unit)
      return exists($m) and exists($c) and ($c = 0 or $c gt $m)]"/>

  <!-- ===== Spellings ===== -->
  <xsl:template mode="n:normal" match="/domain/uuid/text()">
    <xsl:value-of select="f:uuid(.)"/>
  </xsl:template>
  <xsl:template mode="n:normal" match="mac/@address">
    <xsl:attribute name="address" select="lower-case(.)"/>
  </xsl:template>
  <xsl:template mode="n:normal" match="address[@type = 'pci'] | hostdev[@type = 'pci']/source/address[not(@type)]
      | interface[@type = 'hostdev']/source/address[not(@type)]">
    <!-- Attribute order is the writer's job (layout.json), so the four are simply written last. -->
    <xsl:copy>
      <xsl:copy-of select="@* except (@domain, @bus, @slot, @function)"/>
      <xsl:if test="@domain"><xsl:attribute name="domain" select="f:pci-hex(@domain, 4)"/></xsl:if>
      <xsl:if test="@bus"><xsl:attribute name="bus" select="f:pci-hex(@bus, 2)"/></xsl:if>
      <xsl:if test="@slot"><xsl:attribute name="slot" select="f:pci-hex(@slot, 2)"/></xsl:if>
      <xsl:if test="@function"><xsl:attribute name="function" select="f:pci-hex(@function, 1)"/></xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- ===== Defaults libvirt writes out ===== -->
  <xsl:template mode="n:normal" match="/domain/vcpu">
    <xsl:copy>
      <xsl:if test="empty(@placement)"><xsl:attribute name="placement" select="'static'"/></xsl:if>
      <xsl:apply-templates mode="n:normal" select="@* except @current"/>
      <!-- current equal to the maximum is the default and is not written. -->
      <xsl:if test="@current and normalize-space(@current) != normalize-space(.)">
        <xsl:copy-of select="@current"/>
      </xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="n:normal" match="devices/disk">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*"/>
      <xsl:if test="empty(@device)"><xsl:attribute name="device" select="'disk'"/></xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
      <!-- A CD-ROM is always read-only. -->
      <xsl:if test="@device = 'cdrom' and empty(readonly)"><readonly/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <!-- Target bus from the name prefix; the old Xen 'ioemu:' prefix dropped. -->
  <xsl:template mode="n:normal" match="devices/disk/target">
    <xsl:variable name="dev" select="replace(@dev, '^ioemu:', '')"/>
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@* except (@dev, @tray[. = 'closed'])"/>
      <xsl:if test="@dev"><xsl:attribute name="dev" select="$dev"/></xsl:if>
      <xsl:if test="empty(@bus) and @dev">
        <xsl:attribute name="bus" select="f:bus-for-target($dev, ../@device)"/>
      </xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- The old blktap 'aio' image type is raw. -->
  <xsl:template mode="n:normal" match="devices/disk/driver/@type[. = 'aio']">
    <xsl:attribute name="type" select="'raw'"/>
  </xsl:template>

  <xsl:template mode="n:normal" match="devices/hostdev[empty(@managed)]">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*"/>
      <xsl:if test="@mode = 'subsystem' or empty(@mode)"><xsl:attribute name="managed" select="'no'"/></xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- A mount gets accessmode='passthrough' (virDomainFSDefPostParse), except a virtiofs one
       served by an external daemon (<source socket=…>), which has no access mode. -->
  <xsl:template mode="n:normal" match="devices/filesystem[empty(@accessmode)][@type = ('mount', '') or empty(@type)]">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*"/>
      <xsl:if test="empty(@type)"><xsl:attribute name="type" select="'mount'"/></xsl:if>
      <xsl:if test="not(source/@socket)"><xsl:attribute name="accessmode" select="'passthrough'"/></xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Graphics: a listen attribute gains its <listen> child; port='-1' means autoport. -->
  <xsl:template mode="n:normal" match="devices/graphics[@type = ('vnc', 'spice', 'rdp')]">
    <xsl:variable name="auto" select="@port = '-1' or (@type = 'spice' and @tlsPort = '-1')"/>
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@* except @autoport"/>
      <xsl:choose>
        <xsl:when test="@autoport"><xsl:copy-of select="@autoport"/></xsl:when>
        <xsl:when test="$auto"><xsl:attribute name="autoport" select="'yes'"/></xsl:when>
        <xsl:when test="@port and @type = ('vnc', 'rdp')"><xsl:attribute name="autoport" select="'no'"/></xsl:when>
        <xsl:when test="@type = 'vnc' and empty(@socket) and empty(listen[@type = ('socket', 'none')])">
          <xsl:attribute name="port" select="'-1'"/><xsl:attribute name="autoport" select="'yes'"/>
        </xsl:when>
      </xsl:choose>
      <!-- libvirt mirrors the first listen address in the old attribute, for old clients. -->
      <xsl:if test="empty(@listen) and listen[1][@type = 'address'][@address]">
        <xsl:attribute name="listen" select="listen[1]/@address"/>
      </xsl:if>
      <xsl:if test="empty(listen)">
        <xsl:choose>
          <xsl:when test="@socket"><listen type="socket" socket="{@socket}"/></xsl:when>
          <xsl:when test="@listen"><listen type="address" address="{@listen}"/></xsl:when>
          <xsl:when test="@type = 'vnc'"><listen type="address"/></xsl:when>
          <xsl:when test="@type = 'spice' and empty(@port | @tlsPort | @autoport)"><listen type="none"/></xsl:when>
          <xsl:when test="@type = 'spice'"><listen type="address"/></xsl:when>
        </xsl:choose>
      </xsl:if>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Lifecycle, clock and boot defaults (libvirt always writes them). -->
  <xsl:template mode="n:normal" match="/domain">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*"/>
      <xsl:apply-templates mode="n:normal" select="node()"/>
      <xsl:if test="empty(clock)"><clock offset="utc"/></xsl:if>
      <xsl:if test="empty(on_poweroff)"><on_poweroff>destroy</on_poweroff></xsl:if>
      <xsl:if test="empty(on_reboot)"><on_reboot>restart</on_reboot></xsl:if>
      <xsl:if test="empty(on_crash)"><on_crash>destroy</on_crash></xsl:if>
      <xsl:if test="empty(devices)"><devices/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <!-- clock sync= is ignored by libvirt (it reads only offset=): what it writes is utc. -->
  <xsl:template mode="n:normal" match="/domain/clock[empty(@offset)]">
    <xsl:copy>
      <xsl:attribute name="offset" select="'utc'"/>
      <xsl:apply-templates mode="n:normal" select="@* except @sync, node()"/>
    </xsl:copy>
  </xsl:template>
  <xsl:template mode="n:normal" match="/domain/clock/@sync"/>

  <!-- With a host bootloader, libvirt neither reads nor writes boot devices. Without one, an HVM
       guest with no boot device anywhere boots from the hard disk. -->
  <xsl:template mode="n:normal" match="/domain[bootloader]/os/(boot | bootmenu | bios)"/>
  <xsl:template mode="n:normal" match="/domain/os">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*, node()"/>
      <xsl:if test="n:hvm(..) and empty(../bootloader) and empty(boot) and empty(../devices/*/boot) and empty(kernel)">
        <boot dev="hd"/>
      </xsl:if>
    </xsl:copy>
  </xsl:template>

  <!-- Features: the tri-state ones are written with state='on'. -->
  <xsl:template mode="n:normal" match="/domain/features/(hap | pmu | vmport | pvspinlock | htm | nested-hv | ccf-assist | vmcoreinfo | smm)[empty(@state)]">
    <xsl:copy>
      <xsl:attribute name="state" select="'on'"/>
      <xsl:apply-templates mode="n:normal" select="@*, node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- An input without bus: PS/2 on x86 HVM, xen on Xen PV, USB elsewhere. -->
  <xsl:template mode="n:normal" match="devices/input[empty(@bus)][@type = ('mouse', 'keyboard', 'tablet')]">
    <xsl:copy>
      <xsl:apply-templates mode="n:normal" select="@*"/>
      <xsl:attribute name="bus" select="f:default-input-bus(.)"/>
      <xsl:apply-templates mode="n:normal" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- A console with only the old tty= attribute: tty is ignored, the type is pty. A console
       without a target gets serial port 0, as QEMU writes it. On a Xen PV guest the default is the
       driver's (libxl: xen, the test driver: serial), so none is written there. -->
  <xsl:template mode="n:normal" match="devices/console">
    <xsl:variable name="domain" select="/domain"/>
    <xsl:copy>
      <xsl:if test="empty(@type)"><xsl:attribute name="type" select="'pty'"/></xsl:if>
      <xsl:apply-templates mode="n:normal" select="(if (empty(@type)) then @* except @tty else @*), node()"/>
      <xsl:if test="empty(target) and not($domain/@type = 'xen' and not(n:hvm($domain)))">
        <target type="serial" port="0"/>
      </xsl:if>
    </xsl:copy>
  </xsl:template>

  <!-- An ethernet NIC's IP address is IPv4 unless it says otherwise. -->
  <xsl:template mode="n:normal" match="devices/interface/ip[@address][empty(@family)]">
    <xsl:copy>
      <xsl:copy-of select="@address"/>
      <xsl:attribute name="family" select="if (contains(@address, ':')) then 'ipv6' else 'ipv4'"/>
      <xsl:apply-templates mode="n:normal" select="@* except @address, node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Elements libvirt leaves out when they end up with nothing in them. -->
  <xsl:template mode="n:normal" match="/domain/(features | pm | memtune | cputune | blkiotune)[empty(@* | * | text()[normalize-space()])]"/>
</xsl:stylesheet>
