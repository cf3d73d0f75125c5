<?xml version="1.0" encoding="UTF-8"?>
<!--
  migrate.xsl — old-format XML to modern form (target 'modern'), and Xen guests to KVM (target
  'kvm'). Entry point only: the rules live in the numbered stages under migrate/, applied in
  order (10-legacy for both targets, then 20-xen-to-kvm for kvm). Each rule marks what it changed;
  the result for each file is a JSON object { "xml": …, "changes": ["rule<TAB>path", …] }, and the
  TypeScript side normalizes the xml. Named template m:rules returns every rule id with its
  explanation, as JSON.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:domfleet:migrate"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:include href="lib/functions.xsl"/>
  <xsl:include href="lib/errors.xsl"/>
  <xsl:include href="migrate/rules.xsl"/>
  <xsl:include href="migrate/10-legacy.xsl"/>
  <xsl:include href="migrate/20-xen-to-kvm.xsl"/>

  <xsl:param name="m:target" as="xs:string" select="'modern'"/>

  <xsl:function name="m:migrate" as="map(*)">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:variable name="modern" as="document-node()">
      <xsl:document><xsl:apply-templates mode="m:legacy" select="$doc/node()"/></xsl:document>
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
    <xsl:variable name="clean" as="document-node()">
      <xsl:document><xsl:apply-templates mode="m:report" select="$done/node()"/></xsl:document>
    </xsl:variable>
    <xsl:sequence select="map { 'xml': serialize($clean), 'changes': array { m:changes($done) } }"/>
  </xsl:function>

  <xsl:template name="m:batch" as="xs:string*">
    <xsl:for-each select="/batch/file">
      <xsl:variable name="doc" as="document-node()">
        <xsl:document><xsl:copy-of select="node()[not(self::text())]"/></xsl:document>
      </xsl:variable>
      <xsl:sequence select="serialize(m:migrate($doc), map { 'method': 'json' })"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="m:rules" as="xs:string">
    <xsl:sequence select="serialize(map:merge(($m:legacy-rules, $m:kvm-rules)), map { 'method': 'json' })"/>
  </xsl:template>
</xsl:stylesheet>
