<?xml version="1.0" encoding="UTF-8"?>
<!--
  cpu-mode — set the CPU mode; the named model and vendor go, topology, cache and NUMA stay
  Example: domfleet transform cpu-mode -p mode=host-passthrough defs/
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="mode" as="xs:string" required="yes" t:values="host-passthrough host-model maximum" t:doc="CPU mode"/>

  <xsl:template match="/domain[empty(cpu)]/clock | /domain[empty(cpu) and empty(clock)]/on_poweroff">
    <cpu mode="{$mode}"/>
    <xsl:next-match/>
  </xsl:template>

  <xsl:template match="/domain/cpu[not(@mode = $mode)]">
    <cpu mode="{$mode}">
      <xsl:apply-templates select="topology, cache, feature[$mode != 'host-model'], numa"/>
    </cpu>
  </xsl:template>
</xsl:stylesheet>
