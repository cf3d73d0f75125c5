<?xml version="1.0" encoding="UTF-8"?>
<!--
  disk-cache — set the cache mode (and optionally the I/O mode) of every disk
  Example: domfleet transform disk-cache -p cache=none -p io=native defs/
  CD-ROMs and floppies are left alone.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="cache" as="xs:string" required="yes" t:values="none writethrough writeback directsync unsafe default" t:doc="cache mode"/>
  <xsl:param name="io" as="xs:string" select="''" t:values=" native threads io_uring" t:doc="I/O mode (optional)"/>

  <xsl:template match="/domain/devices/disk[@device = 'disk' or empty(@device)]">
    <xsl:copy>
      <xsl:apply-templates select="@*"/>
      <driver name="{(driver/@name, 'qemu')[1]}">
        <xsl:copy-of select="driver/@* except (driver/@name, driver/@cache, driver/@io[$io != ''])"/>
        <xsl:attribute name="cache" select="$cache"/>
        <xsl:if test="$io != ''"><xsl:attribute name="io" select="$io"/></xsl:if>
        <xsl:copy-of select="driver/node()"/>
      </driver>
      <xsl:apply-templates select="node() except driver"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
