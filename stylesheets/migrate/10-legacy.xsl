<?xml version="1.0" encoding="UTF-8"?>
<!--
  migrate/10-legacy.xsl — stage 10, old Domain XML format (Xen / early QEMU era, ~2007–2010)
  to what current libvirt writes (reference §5). Mode m:legacy. Runs for both targets. Each rule
  is one template with a stable id (its m:mark) and a line in $m:legacy-rules. What libvirt still
  writes itself (os type linux on Xen PV, rename-restart on Xen) is kept.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:domfleet:migrate"
    xmlns:f="urn:domfleet:functions" exclude-result-prefixes="#all">

  <xsl:variable name="m:legacy-rules" as="map(xs:string, xs:string)" select="map {
    'definition-id': 'a stored definition has no domain id (a live-dump leftover); removed',
    'uuid-format': 'UUID written lower-case 8-4-4-4-12, as libvirt writes it',
    'memory-unit': 'memory sizes without a unit are KiB; unit=''KiB'' made explicit',
    'vcpu-placement': 'vcpu without placement is static; made explicit',
    'clock-sync': 'clock sync= was never read by libvirt (the guest silently got utc); written as offset= so the intent takes effect',
    'hap-state': 'features/hap written with state=''on'' as libvirt writes it',
    'console-tty': 'console tty= without type is a pty console; the tty path is runtime state and is dropped',
    'disk-device': 'disk without device= is a disk; made explicit',
    'disk-target-bus': 'disk target without bus= gets the bus libvirt derives from the name prefix',
    'ioemu-prefix': 'the old Xen ioemu: target prefix is removed',
    'driver-aio': 'blktap image type aio means raw',
    'cdrom-readonly': 'a CD-ROM is always read-only; made explicit',
    'graphics-listen': 'graphics listen= attribute gains its <listen> element',
    'graphics-autoport': 'graphics port=''-1'' means autoport=''yes''; made explicit',
    'input-bus': 'input without bus= gets the bus libvirt picks (ps2 on x86 HVM, xen on Xen PV)',
    'hostdev-managed': 'hostdev without managed= is managed=''no''; made explicit'
  }"/>

  <xsl:mode name="m:legacy" on-no-match="shallow-copy" on-multiple-match="fail"/>

  <xsl:template mode="m:legacy" match="/domain[@id]">
    <xsl:copy>
      <xsl:sequence select="m:mark('definition-id')"/>
      <xsl:apply-templates mode="m:legacy" select="@* except @id, node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="/domain/uuid[f:uuid(.) != string(.)]">
    <xsl:copy>
      <xsl:sequence select="m:mark('uuid-format')"/>
      <xsl:value-of select="f:uuid(.)"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="/domain/(memory | currentMemory | maxMemory)[empty(@unit)]">
    <xsl:copy>
      <xsl:sequence select="m:mark('memory-unit')"/>
      <xsl:apply-templates mode="m:legacy" select="@*"/>
      <xsl:attribute name="unit" select="'KiB'"/>
      <xsl:apply-templates mode="m:legacy" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="/domain/vcpu[empty(@placement)]">
    <xsl:copy>
      <xsl:sequence select="m:mark('vcpu-placement')"/>
      <xsl:attribute name="placement" select="'static'"/>
      <xsl:apply-templates mode="m:legacy" select="@*, node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="/domain/clock[@sync]">
    <xsl:copy>
      <xsl:sequence select="m:mark('clock-sync')"/>
      <xsl:attribute name="offset" select="(@offset, @sync)[1]"/>
      <xsl:apply-templates mode="m:legacy" select="@* except (@sync, @offset), node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="/domain/features/hap[empty(@state)]">
    <xsl:copy>
      <xsl:sequence select="m:mark('hap-state')"/>
      <xsl:attribute name="state" select="'on'"/>
      <xsl:apply-templates mode="m:legacy" select="@*, node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/console[empty(@type)]">
    <xsl:copy>
      <xsl:sequence select="m:mark('console-tty')"/>
      <xsl:attribute name="type" select="'pty'"/>
      <xsl:apply-templates mode="m:legacy" select="@* except @tty, node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/disk">
    <xsl:copy>
      <xsl:if test="empty(@device)">
        <xsl:sequence select="m:mark('disk-device')"/>
        <xsl:attribute name="device" select="'disk'"/>
      </xsl:if>
      <xsl:if test="@device = 'cdrom' and empty(readonly)"><xsl:sequence select="m:mark('cdrom-readonly')"/></xsl:if>
      <xsl:apply-templates mode="m:legacy" select="@*, node()"/>
      <xsl:if test="@device = 'cdrom' and empty(readonly)"><readonly/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/disk/target[empty(@bus) or starts-with(@dev, 'ioemu:')]">
    <xsl:variable name="dev" select="replace(@dev, '^ioemu:', '')"/>
    <xsl:copy>
      <xsl:if test="starts-with(@dev, 'ioemu:')"><xsl:sequence select="m:mark('ioemu-prefix')"/></xsl:if>
      <xsl:apply-templates mode="m:legacy" select="@* except @dev"/>
      <xsl:attribute name="dev" select="$dev"/>
      <xsl:if test="empty(@bus)">
        <xsl:sequence select="m:mark('disk-target-bus')"/>
        <xsl:attribute name="bus" select="f:bus-for-target($dev, ../@device)"/>
      </xsl:if>
      <xsl:apply-templates mode="m:legacy" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/disk/driver[@type = 'aio']">
    <xsl:copy>
      <xsl:sequence select="m:mark('driver-aio')"/>
      <xsl:apply-templates mode="m:legacy" select="@* except @type"/>
      <xsl:attribute name="type" select="'raw'"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/graphics[@listen and empty(listen)] | devices/graphics[@port = '-1' and empty(@autoport)]">
    <xsl:copy>
      <xsl:apply-templates mode="m:legacy" select="@*"/>
      <xsl:if test="@port = '-1' and empty(@autoport)">
        <xsl:attribute name="autoport" select="'yes'"/>
      </xsl:if>
      <xsl:if test="@listen and empty(listen)"><xsl:sequence select="m:mark('graphics-listen')"/></xsl:if>
      <xsl:if test="@port = '-1' and empty(@autoport)"><xsl:sequence select="m:mark('graphics-autoport')"/></xsl:if>
      <xsl:if test="@listen and empty(listen)"><listen type="address" address="{@listen}"/></xsl:if>
      <xsl:apply-templates mode="m:legacy" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/input[empty(@bus)][@type = ('mouse', 'keyboard', 'tablet')]">
    <xsl:copy>
      <xsl:sequence select="m:mark('input-bus')"/>
      <xsl:apply-templates mode="m:legacy" select="@*"/>
      <xsl:attribute name="bus" select="f:default-input-bus(.)"/>
      <xsl:apply-templates mode="m:legacy" select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="m:legacy" match="devices/hostdev[empty(@managed)][@mode = 'subsystem' or empty(@mode)]">
    <xsl:copy>
      <xsl:sequence select="m:mark('hostdev-managed')"/>
      <xsl:apply-templates mode="m:legacy" select="@*"/>
      <xsl:attribute name="managed" select="'no'"/>
      <xsl:apply-templates mode="m:legacy" select="node()"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
