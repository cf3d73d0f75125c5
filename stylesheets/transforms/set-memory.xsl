<?xml version="1.0" encoding="UTF-8"?>
<!--
  set-memory — set the memory size (and the current allocation with it)
  Example: domfleet transform set-memory -p size=4GiB defs/
  The size needs one of libvirt's units (KiB, MiB, GiB, KB, MB, GB, k, M, G …): a bare number is
  refused, as are zero and sizes under 1 MiB.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    xmlns:f="urn:domfleet:functions" exclude-result-prefixes="#all">
  <xsl:include href="../lib/functions.xsl"/>
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="size" as="xs:string" required="yes" t:kind="size" t:min="1MiB" t:doc="memory size with unit, e.g. 4GiB"/>

  <xsl:variable name="kib" select="f:to-kib(replace($size, '[^0-9]', ''), replace($size, '^[0-9]+\s*', ''))"/>

  <xsl:template match="/domain/memory | /domain/currentMemory">
    <xsl:copy>
      <xsl:apply-templates select="@* except @unit"/>
      <xsl:attribute name="unit" select="'KiB'"/>
      <xsl:value-of select="$kib"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
