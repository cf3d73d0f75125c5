<?xml version="1.0" encoding="UTF-8"?>
<!-- Constructs of the old (Xen-era) format that libvirt still reads but writes differently: the
     one list in queries/legacy-syntax.json, which migrate (to modern) rewrites and the saved
     query legacy-syntax reports. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="legacy-syntax" severity="note" constructs="legacy-syntax"
      summary="Old-format constructs that domfleet migrate rewrites"/>

  <xsl:mode name="lint:legacy-syntax" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:legacy-syntax" match="/domain">
    <xsl:call-template name="lint:constructs">
      <xsl:with-param name="list" select="'legacy-syntax'"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
