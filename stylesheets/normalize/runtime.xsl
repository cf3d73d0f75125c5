<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize/runtime.xsl — runtime-only state of live dumps (reference §4), removed for the
  inactive form (what virsh writes for an inactive dump). Rules of mode n:normal that apply only
  when $n:inactive is true; they take priority 10, above every value rule of values.xsl, so
  state is dropped before any value rule would copy it. Patterns are kept simple (one name per
  final step, no '//'): SaxonJS tests complex union patterns against every node.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    exclude-result-prefixes="#all">

  <xsl:param name="n:inactive" as="xs:boolean" select="false()"/>

  <xsl:template mode="n:normal" priority="10" match="/domain/@id[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="alias[not(starts-with(@name, 'ua-'))][$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/target[matches(@dev, '^(vnet|macvtap|macvlan|vif)')][not(@managed = 'no')][$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/source/@portid[../@network][$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/source/@bridge[../@network][$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/source/@macTableManager[../@network][$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="interface/actual[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="mac/@currentAddress[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="console/@tty[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="channel/target/@state[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="source/@index[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="backingStore/@index[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="disk/mirror[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="seclabel[@type = 'dynamic']/label[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="seclabel[@type = 'dynamic']/imagelabel[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="listen[@type = 'network']/@address[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="graphics[@type = 'spice'][@autoport = 'yes']/@port[$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="graphics[@type = 'spice'][@autoport = 'yes']/@tlsPort[$n:inactive]"/>

  <!-- Auto-assigned VNC ports read back as -1. -->
  <xsl:template mode="n:normal" priority="10" match="graphics[@type = 'vnc'][@autoport = 'yes']/@port[$n:inactive]">
    <xsl:attribute name="port" select="'-1'"/>
  </xsl:template>

  <!-- A network NIC reported with its actual type (bridge, direct, hostdev) is a network NIC. -->
  <xsl:template mode="n:normal" priority="10" match="interface/@type[../source/@network][$n:inactive]">
    <xsl:attribute name="type" select="'network'"/>
  </xsl:template>

  <!-- A pty's path, and a pty source left with nothing else. -->
  <xsl:template mode="n:normal" priority="10" match="source/@path[../../@type = 'pty'][$n:inactive]"/>
  <xsl:template mode="n:normal" priority="10" match="source[../@type = 'pty'][empty(@* except @path)][empty(*)][$n:inactive]"/>
  <!-- A guest-agent socket at the path libvirt generates for it. -->
  <xsl:template mode="n:normal" priority="10" match="channel[@type = 'unix']/source[matches(@path, '/channel/target/domain-[^/]+/')][$n:inactive]"/>
</xsl:stylesheet>
