<?xml version="1.0" encoding="UTF-8"?>
<!-- Two definitions with one UUID: libvirt identifies a domain by it, so defining the second
     replaces or refuses the first, and management tools mix their history up. UUIDs are compared
     in libvirt's spelling (lower case, dashes and braces ignored). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="duplicate-uuid" severity="error" join="fleet" message="UUID {shown} is also given to {others}"
      summary="A UUID given to more than one domain definition in the fleet"/>

  <xsl:mode name="lint:duplicate-uuid" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:duplicate-uuid" match="/domain/uuid[normalize-space(.) != '']">
    <lint:fact key="{translate(normalize-space(.), 'ABCDEF-{}', 'abcdef')}" shown="{normalize-space(.)}"/>
  </xsl:template>
</xsl:stylesheet>
