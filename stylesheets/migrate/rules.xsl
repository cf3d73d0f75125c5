<?xml version="1.0" encoding="UTF-8"?>
<!--
  migrate/rules.xsl — what every migration rule shares: how a rule marks what it changed.
  A rule that changes an element (or removes a child of it) marks that element with an
  attribute m:r-RULE-ID (one attribute per rule, so marks from different rules and stages never
  overwrite each other); after the last stage, m:changes lists every mark with the element's
  path and m:report strips the marks. Included by migrate.xsl.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:m="urn:domfleet:migrate"
    exclude-result-prefixes="#all">

  <!-- The mark saying $rule changed the element it is put on. -->
  <xsl:function name="m:mark" as="attribute()">
    <xsl:param name="rule" as="xs:string"/>
    <xsl:attribute name="m:r-{$rule}" select="''"/>
  </xsl:function>

  <!-- The document without marks, and without the m: namespace the marks brought in. -->
  <xsl:mode name="m:report" on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:template mode="m:report" match="@m:*"/>
  <xsl:template mode="m:report" match="*">
    <xsl:element name="{name()}" namespace="{namespace-uri()}">
      <xsl:copy-of select="namespace::*[. ne 'urn:domfleet:migrate']"/>
      <xsl:apply-templates mode="m:report" select="@*, node()"/>
    </xsl:element>
  </xsl:template>

  <!-- Each change as <m:change rule="id" path="/domain/devices/disk[2]"/>. -->
  <xsl:function name="m:changes" as="element(m:change)*">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:for-each select="$doc//*[@m:*]">
      <xsl:variable name="path" select="string-join(ancestor-or-self::* ! (name() || (let $n := name() return
          if (count(../*[name() = $n]) gt 1) then '[' || (count(preceding-sibling::*[name() = $n]) + 1) || ']' else '')), '/')"/>
      <xsl:for-each select="@m:*">
        <m:change rule="{substring-after(local-name(), 'r-')}" path="/{$path}"/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:function>
</xsl:stylesheet>
