<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize/runtime.xsl — runtime-only state of live dumps (reference §4), removed for the
  inactive form (what virsh writes for an inactive dump). Rules of mode n:normal, included only by
  normalize-inactive.xsl (so the ordinary normal form pays nothing for them); they take
  priority 10, above every value rule of values.xsl, so state is dropped before any value rule
  would copy it. Patterns are kept simple (one name per
  final step, no '//'): SaxonJS tests complex union patterns against every node.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    exclude-result-prefixes="#all">

  <xsl:template mode="n:normal" priority="10" match="/domain/@id"/>
  <xsl:template mode="n:normal" priority="10" match="alias[not(starts-with(@name, 'ua-'))]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/target[matches(@dev, '^(vnet|macvtap|macvlan|vif)')][not(@managed = 'no')]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/source/@portid[../@network]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/source/@bridge[../@network]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/source/@macTableManager[../@network]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/actual"/>
  <xsl:template mode="n:normal" priority="10" match="mac/@currentAddress"/>
  <xsl:template mode="n:normal" priority="10" match="console/@tty"/>
  <xsl:template mode="n:normal" priority="10" match="channel/target/@state"/>
  <xsl:template mode="n:normal" priority="10" match="source/@index"/>
  <xsl:template mode="n:normal" priority="10" match="backingStore/@index"/>
  <xsl:template mode="n:normal" priority="10" match="disk/mirror"/>
  <xsl:template mode="n:normal" priority="10" match="seclabel[@type = 'dynamic']/label"/>
  <xsl:template mode="n:normal" priority="10" match="seclabel[@type = 'dynamic']/imagelabel"/>
  <xsl:template mode="n:normal" priority="10" match="listen[@type = 'network']/@address"/>
  <xsl:template mode="n:normal" priority="10" match="graphics[@type = 'spice'][@autoport = 'yes']/@port"/>
  <xsl:template mode="n:normal" priority="10" match="graphics[@type = 'spice'][@autoport = 'yes']/@tlsPort"/>

  <!-- Auto-assigned VNC ports read back as -1. -->
  <xsl:template mode="n:normal" priority="10" match="graphics[@type = 'vnc'][@autoport = 'yes']/@port">
    <xsl:attribute name="port" select="'-1'"/>
  </xsl:template>

  <!-- A network NIC reported with its actual type (bridge, direct, hostdev) is a network NIC. -->
  <xsl:template mode="n:normal" priority="10" match="interface/@type[../source/@network]">
    <xsl:attribute name="type" select="'network'"/>
  </xsl:template>

  <!-- A pty's path, and a pty source left with nothing else. -->
  <xsl:template mode="n:normal" priority="10" match="source/@path[../../@type = 'pty']"/>
  <xsl:template mode="n:normal" priority="10" match="source[../@type = 'pty'][empty(@* except @path)][empty(*)]"/>
  <!-- A guest-agent socket at the path libvirt generates for it. -->
  <xsl:template mode="n:normal" priority="10" match="channel[@type = 'unix']/source[matches(@path, '/channel/target/domain-[^/]+/')]"/>
</xsl:stylesheet>
