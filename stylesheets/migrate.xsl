<?xml version="1.0" encoding="UTF-8"?>
<!--
  migrate.xsl — old-format XML to modern form (target 'modern'), and Xen guests to KVM (target
  'kvm'). Entry point only: the rules live in the numbered stages under migrate/, applied in
  order (10-legacy for both targets, then 20-xen-to-kvm for kvm). Each rule marks what it changed.
  The initial template m:batch takes the documents in $m:documents and returns two documents for
  each: its changes (<m:changes> of <m:change rule path/>), then the migrated document after the
  normalize rules (mode n:normal, in the same call), or an empty document when no rule fired; the
  TypeScript writer writes it in libvirt's layout. Named template m:rules returns every rule id
  with its explanation, as JSON.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:domfleet:migrate" xmlns:n="urn:domfleet:normalize"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:include href="lib/functions.xsl"/>
  <xsl:include href="lib/errors.xsl"/>
  <xsl:include href="migrate/rules.xsl"/>
  <xsl:include href="migrate/10-legacy.xsl"/>
  <xsl:include href="migrate/20-xen-to-kvm.xsl"/>
  <xsl:include href="normalize/values.xsl"/>

  <xsl:param name="m:target" as="xs:string" select="'modern'"/>

  <xsl:param name="m:documents" as="document-node()*" select="()"/>

  <xsl:template name="m:batch" as="document-node()*">
    <xsl:for-each select="$m:documents">
      <xsl:variable name="modern" as="document-node()">
        <xsl:document><xsl:apply-templates mode="m:legacy" select="node()"/></xsl:document>
      </xsl:variable>
      <xsl:variable name="done" as="document-node()">
        <xsl:choose>
          <!-- Only Xen guests have anything to convert; others get the legacy stage alone. -->
          <xsl:when test="$m:target = 'kvm' and $modern/domain[@type = 'xen' or normalize-space(os/type) = ('linux', 'xen', 'xenpvh')]">
            <xsl:document><xsl:apply-templates mode="m:kvm" select="$modern/node()"/></xsl:document>
          </xsl:when>
          <xsl:otherwise><xsl:sequence select="$modern"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:variable name="changes" as="element(m:change)*" select="m:changes($done)"/>
      <xsl:document><m:changes><xsl:sequence select="$changes"/></m:changes></xsl:document>
      <xsl:choose>
        <xsl:when test="exists($changes)">
          <xsl:variable name="clean" as="document-node()">
            <xsl:document><xsl:apply-templates mode="m:report" select="$done/node()"/></xsl:document>
          </xsl:variable>
          <xsl:document><xsl:apply-templates mode="n:normal" select="$clean/node()"/></xsl:document>
        </xsl:when>
        <xsl:otherwise><xsl:document/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="m:rules" as="xs:string">
    <xsl:sequence select="serialize(map:merge(($m:legacy-rules, $m:kvm-rules)), map { 'method': 'json' })"/>
  </xsl:template>
</xsl:stylesheet>
