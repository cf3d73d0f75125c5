<?xml version="1.0" encoding="UTF-8"?>
<!-- A live dump (virsh dumpxml of a running domain) stored as a definition carries state the
     running guest had: a domain id, generated NIC targets, pty paths, aliases. Defining it again
     copies that state where it does not belong. The evidence is the one list in
     queries/runtime-state.json, which the saved query runtime-state reports. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="runtime-state" severity="warning" constructs="runtime-state"
      summary="Run-time state in a stored definition (a live dump, not an inactive definition)"/>

  <xsl:mode name="lint:runtime-state" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:runtime-state" match="/domain">
    <xsl:call-template name="lint:constructs">
      <xsl:with-param name="list" select="'runtime-state'"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
