<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize/runtime.xsl — runtime-only state of live dumps (reference §4), removed for the
  inactive form (what virsh writes for an inactive dump). Mode n:fix, active only when
  $n:inactive is true.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    exclude-result-prefixes="#all">

  <xsl:param name="n:inactive" as="xs:boolean" select="false()"/>

  <xsl:template mode="n:fix" priority="10" match="/domain/@id
      | devices/*/alias[not(starts-with(@name, 'ua-'))]
      | devices/interface/target[matches(@dev, '^(vnet|macvtap|macvlan|vif)')][not(@managed = 'no')]
      | devices/interface[source/@network]/source/(@portid | @bridge | @macTableManager)
      | devices/interface/actual | mac/@currentAddress
      | devices/*[self::serial or self::console or self::parallel or self::channel][@type = 'pty']/source/@path
      | devices/console/@tty | devices/channel/target/@state
      | devices/disk/source/@index | devices/disk//backingStore/@index | devices/disk/mirror
      | seclabel[@type = 'dynamic']/(label | imagelabel)
      | devices/graphics/listen[@type = 'network']/@address
      | devices/graphics[@type = 'spice'][@autoport = 'yes']/(@port | @tlsPort)">
    <xsl:if test="not($n:inactive)"><xsl:next-match/></xsl:if>
  </xsl:template>

  <!-- A pty source left with nothing, or a guest-agent socket at libvirt's own generated path. -->
  <xsl:template mode="n:fix" priority="10" match="devices/*[self::serial or self::console or self::parallel or self::channel]
      /source[(../@type = 'pty' and empty(@* except @path) and empty(*))
              or (../@type = 'unix' and matches(@path, '/channel/target/domain-[^/]+/'))]">
    <xsl:if test="not($n:inactive)"><xsl:next-match/></xsl:if>
  </xsl:template>

  <!-- Auto-assigned VNC ports read back as -1. -->
  <xsl:template mode="n:fix" priority="10" match="devices/graphics[@type = 'vnc'][@autoport = 'yes']/@port">
    <xsl:choose>
      <xsl:when test="$n:inactive"><xsl:attribute name="port" select="'-1'"/></xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A network NIC reported with its actual type (bridge, direct, hostdev) is a network NIC. -->
  <xsl:template mode="n:fix" priority="10" match="devices/interface[source/@network]/@type">
    <xsl:choose>
      <xsl:when test="$n:inactive"><xsl:attribute name="type" select="'network'"/></xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
