<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize.xsl — libvirt's canonical form of a domain definition, written byte for byte as
  libvirt writes it. Entry point only: the rules live in the modules.

  Runs as [n:inactive (runtime state)] → n:fix (values, defaults, legacy spellings) → n:order
  (element and attribute order), and returns the result serialized; src/core/libvirt-writer.ts
  then writes libvirt's exact bytes (quotes, escaping, layout), which is formatting, not rules,
  and 20× faster there than in SaxonJS. The initial template n:batch takes a <batch> of <file>
  wrappers, one per input document, and returns one string per file, so one call serves many.
  Parameter n:inactive (xs:boolean) also strips runtime-only state.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    exclude-result-prefixes="#all">

  <xsl:include href="lib/functions.xsl"/>
  <xsl:include href="normalize/values.xsl"/>
  <xsl:include href="normalize/runtime.xsl"/>
  <xsl:include href="normalize/order.xsl"/>

  <xsl:function name="n:normalize" as="document-node()">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:variable name="stored" as="document-node()">
      <xsl:choose>
        <xsl:when test="$n:inactive">
          <xsl:document><xsl:apply-templates mode="n:inactive" select="$doc/node()"/></xsl:document>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="$doc"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="fixed" as="document-node()">
      <xsl:document><xsl:apply-templates mode="n:fix" select="$stored/node()"/></xsl:document>
    </xsl:variable>
    <xsl:document><xsl:apply-templates mode="n:order" select="$fixed/node()"/></xsl:document>
  </xsl:function>

  <xsl:template name="n:batch" as="xs:string*">
    <xsl:for-each select="/batch/file">
      <xsl:variable name="doc" as="document-node()">
        <xsl:document><xsl:copy-of select="node()[not(self::text())]"/></xsl:document>
      </xsl:variable>
      <xsl:sequence select="serialize(n:normalize($doc))"/>
    </xsl:for-each>
  </xsl:template>

  <!-- One document as the initial match selection: its normal text. -->
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>
  <xsl:template match="/" as="xs:string">
    <xsl:sequence select="serialize(n:normalize(.))"/>
  </xsl:template>
</xsl:stylesheet>
