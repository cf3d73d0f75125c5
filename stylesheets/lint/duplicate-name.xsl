<?xml version="1.0" encoding="UTF-8"?>
<!-- Two definitions with one name on one host: only one of them can be defined there, and which
     one wins depends on the order they are loaded in. The same name on two hosts is normal. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="duplicate-name" severity="error" join="host" message="domain name {shown} is also used on this host by {others}"
      summary="A domain name used by more than one definition on the same host"/>

  <xsl:mode name="lint:duplicate-name" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:duplicate-name" match="/domain/name[normalize-space(.) != '']">
    <lint:fact key="{normalize-space(.)}"/>
  </xsl:template>
</xsl:stylesheet>
