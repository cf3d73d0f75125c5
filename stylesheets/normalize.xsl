<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize.xsl — libvirt's canonical form of a domain definition, written byte for byte as
  libvirt writes it. Entry point only: the rules live in the modules.

  Runs as n:fix (values, defaults, legacy spellings, runtime state) → n:order (element order) →
  s:document (libvirt's bytes). The initial template n:batch takes a <batch> of <file> wrappers,
  one per input document, and returns one string per file, so one call serves many files.
  Parameter n:inactive (xs:boolean) also strips runtime-only state.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    xmlns:s="urn:domfleet:serialize" exclude-result-prefixes="#all">

  <xsl:include href="lib/functions.xsl"/>
  <xsl:include href="normalize/values.xsl"/>
  <xsl:include href="normalize/runtime.xsl"/>
  <xsl:include href="normalize/order.xsl"/>
  <xsl:include href="normalize/serialize.xsl"/>

  <xsl:function name="n:normalize" as="document-node()">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:variable name="fixed" as="document-node()">
      <xsl:document><xsl:apply-templates mode="n:fix" select="$doc/node()"/></xsl:document>
    </xsl:variable>
    <xsl:document><xsl:apply-templates mode="n:order" select="$fixed/node()"/></xsl:document>
  </xsl:function>

  <xsl:template name="n:batch" as="xs:string*">
    <xsl:for-each select="/batch/file">
      <xsl:variable name="doc" as="document-node()">
        <xsl:document><xsl:copy-of select="node()[not(self::text())]"/></xsl:document>
      </xsl:variable>
      <xsl:sequence select="s:document(n:normalize($doc))"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="/" as="xs:string">
    <xsl:sequence select="s:document(n:normalize(.))"/>
  </xsl:template>
</xsl:stylesheet>
