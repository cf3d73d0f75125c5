<?xml version="1.0" encoding="UTF-8"?>
<!--
  virtiofs — share a host folder with the guest over virtiofs, adding the shared memory it needs
  Example: domfleet transform virtiofs -p source=/srv/share -p target=share defs/
  virtiofs needs shared guest memory: a memfd source and shared access are added to
  <memoryBacking> unless it says otherwise already.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="source" as="xs:string" required="yes" t:doc="host folder"/>
  <xsl:param name="target" as="xs:string" required="yes" t:doc="mount tag the guest sees"/>

  <xsl:variable name="present" select="exists(/domain/devices/filesystem[target/@dir = $target])"/>

  <xsl:template match="/domain/devices[not($present)]">
    <xsl:copy>
      <xsl:apply-templates select="@*, node()"/>
      <filesystem type="mount" accessmode="passthrough">
        <driver type="virtiofs"/>
        <source dir="{$source}"/>
        <target dir="{$target}"/>
      </filesystem>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/domain[not($present)]/memoryBacking">
    <xsl:copy>
      <xsl:apply-templates select="@*, node()"/>
      <xsl:if test="empty(source)"><source type="memfd"/></xsl:if>
      <xsl:if test="empty(access)"><access mode="shared"/></xsl:if>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/domain[not($present)][empty(memoryBacking)]/vcpu">
    <memoryBacking>
      <source type="memfd"/>
      <access mode="shared"/>
    </memoryBacking>
    <xsl:next-match/>
  </xsl:template>
</xsl:stylesheet>
