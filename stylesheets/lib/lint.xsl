<?xml version="1.0" encoding="UTF-8"?>
<!--
  lib/lint.xsl — what the lint rule modules (stylesheets/lint/) share when run as XSLT: sizes in
  KiB, and findings from a list of constructs (queries/*.json). The fast path
  (src/core/lint/lint-job.ts) runs the same rules with libxml2's XPath 1.0; scripts/build-lint.mjs
  turns lint:kib() into XPath 1.0 arithmetic from the same units table.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    xmlns:f="urn:domfleet:functions" exclude-result-prefixes="#all">

  <xsl:include href="functions.xsl"/>

  <!-- A size element's value in KiB, in its own unit (no unit: KiB); empty when not a size. -->
  <xsl:function name="lint:kib" as="xs:integer?">
    <xsl:param name="size" as="element()"/>
    <xsl:sequence select="f:to-kib(string($size), $size/@unit)"/>
  </xsl:function>

  <!-- One finding per node each construct of the list selects, the construct's label as message. -->
  <xsl:template name="lint:constructs">
    <xsl:param name="list" as="xs:string"/>
    <xsl:variable name="domain" select="."/>
    <xsl:for-each select="json-doc('../queries/' || $list || '.json')?constructs?*">
      <xsl:variable name="construct" select="."/>
      <xsl:variable name="hits" as="node()*">
        <xsl:evaluate xpath="$construct?xpath" context-item="$domain"/>
      </xsl:variable>
      <xsl:for-each select="$hits">
        <lint:finding message="{$construct?label}"/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
