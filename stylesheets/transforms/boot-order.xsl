<?xml version="1.0" encoding="UTF-8"?>
<!--
  boot-order — set the boot devices, in order
  Example: domfleet transform boot-order -p devices=cdrom,hd defs/
  Per-device <boot order> elements are removed: libvirt refuses them beside <os><boot>.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="devices" as="xs:string" required="yes" t:pattern="^(hd|cdrom|network|fd)(,(hd|cdrom|network|fd))*$" t:doc="comma-separated list of hd, cdrom, network, fd"/>

  <xsl:template match="/domain/os">
    <xsl:copy>
      <xsl:apply-templates select="@*, node() except boot"/>
      <xsl:for-each select="tokenize($devices, ',')"><boot dev="{.}"/></xsl:for-each>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/domain/devices/*/boot"/>
</xsl:stylesheet>
