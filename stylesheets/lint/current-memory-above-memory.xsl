<?xml version="1.0" encoding="UTF-8"?>
<!-- currentMemory (the balloon target) above memory (the maximum) is not what anyone meant:
     libvirt quietly lowers it to memory when it defines the domain, so the guest boots with less
     than the file says. Sizes are compared in KiB, each in its own unit (units.json). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="current-memory-above-memory" severity="warning"
      summary="currentMemory larger than memory (libvirt silently lowers it)"/>

  <xsl:mode name="lint:current-memory-above-memory" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:current-memory-above-memory" match="/domain/currentMemory[../memory][lint:kib(.) &gt; lint:kib(../memory)]">
    <lint:finding message="currentMemory is {lint:kib(.)} KiB, more than memory ({lint:kib(../memory)} KiB); libvirt lowers it to memory"/>
  </xsl:template>
</xsl:stylesheet>
