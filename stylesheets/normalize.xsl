<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize.xsl — libvirt's canonical form of a domain definition. Entry point only: the rules
  live in the modules, all in one mode, n:normal, run in one pass: values, defaults and legacy
  spellings (normalize/values.xsl); normalize-inactive.xsl adds the rules that strip runtime-only
  state (normalize/runtime.xsl) to the same mode. Order and layout are not rules: as in libvirt, the writer fixes them
  (src/core/write/libvirt-writer.ts, reading normalize/layout.json) while it walks the result tree.
  The initial template n:batch takes the documents in $n:documents and returns one normalized
  document for each, so one call serves many.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    exclude-result-prefixes="#all">

  <xsl:include href="lib/functions.xsl"/>
  <xsl:include href="normalize/values.xsl"/>

  <!-- Documents, or root elements (an XSLT 1.0 stylesheet's result can be a bare element). -->
  <xsl:param name="n:documents" as="node()*" select="()"/>

  <xsl:template name="n:batch" as="document-node()*">
    <xsl:for-each select="$n:documents">
      <xsl:variable name="doc" as="document-node()">
        <xsl:choose>
          <xsl:when test=". instance of document-node()"><xsl:sequence select="."/></xsl:when>
          <xsl:otherwise><xsl:document><xsl:copy-of select="."/></xsl:document></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:document><xsl:apply-templates mode="n:normal" select="$doc/node()"/></xsl:document>
    </xsl:for-each>
  </xsl:template>

  <!-- One document as the initial match selection (another transform's result tree). -->
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>
  <xsl:template match="/" as="document-node()">
    <xsl:document><xsl:apply-templates mode="n:normal" select="node()"/></xsl:document>
  </xsl:template>
</xsl:stylesheet>
