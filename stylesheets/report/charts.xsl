<?xml version="1.0" encoding="UTF-8"?>
<!--
  report/charts.xsl — inline SVG bar charts, no script and no external resources.
  r:bars draws one horizontal bar per item (label, value, optional stacked parts with colours).
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:r="urn:domfleet:report"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:variable name="r:palette" select="('#3b6ea5', '#e07b39', '#5a9e5a', '#b0493f', '#8467a8', '#8c6d4f', '#d17fb5', '#7f7f7f')"/>

  <!-- $items: maps { 'label': string, 'value': number, 'parts': array of maps { 'name', 'value' }? } -->
  <xsl:template name="r:bars">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="caption" as="xs:string"/>
    <xsl:param name="items" as="map(*)*"/>
    <xsl:param name="unit" as="xs:string" select="''"/>
    <xsl:param name="legend" as="xs:string*" select="()"/>
    <xsl:variable name="max" select="max(($items ! .('value'), 1))"/>
    <xsl:variable name="row" select="22"/>
    <xsl:variable name="shown" select="subsequence($items, 1, 40)"/>
    <figure class="chart" id="{$id}">
      <figcaption><xsl:value-of select="$caption"/></figcaption>
      <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{$caption}" width="560"
           height="{count($shown) * $row + 10 + (if (exists($legend)) then 24 else 0)}" viewBox="0 0 560 {count($shown) * $row + 10 + (if (exists($legend)) then 24 else 0)}">
        <xsl:for-each select="$shown">
          <xsl:variable name="y" select="(position() - 1) * $row + 4"/>
          <xsl:variable name="item" select="."/>
          <text x="150" y="{$y + 14}" text-anchor="end" font-size="12"><xsl:value-of select="substring($item('label'), 1, 24)"/></text>
          <xsl:choose>
            <xsl:when test="map:contains($item, 'parts')">
              <xsl:variable name="parts" select="array:flatten($item('parts'))" xmlns:array="http://www.w3.org/2005/xpath-functions/array"/>
              <xsl:for-each select="$parts">
                <xsl:variable name="i" select="position()"/>
                <xsl:variable name="before" select="sum(subsequence($parts, 1, $i - 1) ! .('value'))"/>
                <rect x="{155 + $before div $max * 330}" y="{$y}" width="{max((.('value') div $max * 330, 0))}" height="{$row - 6}"
                      fill="{$r:palette[(index-of($legend, current()('name'))[1] - 1) mod count($r:palette) + 1]}">
                  <title><xsl:value-of select="$item('label') || ' — ' || .('name') || ': ' || .('value')"/></title>
                </rect>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <rect x="155" y="{$y}" width="{max(($item('value') div $max * 330, 0))}" height="{$row - 6}" fill="{$r:palette[1]}">
                <title><xsl:value-of select="$item('label') || ': ' || $item('value')"/></title>
              </rect>
            </xsl:otherwise>
          </xsl:choose>
          <text x="{160 + $item('value') div $max * 330}" y="{$y + 14}" font-size="12"><xsl:value-of select="$item('value') || $unit"/></text>
        </xsl:for-each>
        <xsl:for-each select="$legend">
          <xsl:variable name="i" select="position()"/>
          <xsl:variable name="x" select="155 + ($i - 1) * 90"/>
          <rect x="{$x}" y="{count($shown) * $row + 12}" width="12" height="12" fill="{$r:palette[($i - 1) mod count($r:palette) + 1]}"/>
          <text x="{$x + 16}" y="{count($shown) * $row + 22}" font-size="12"><xsl:value-of select="."/></text>
        </xsl:for-each>
      </svg>
      <xsl:if test="count($items) gt 40"><p class="note"><xsl:value-of select="count($items) - 40"/> more not drawn; see the tables.</p></xsl:if>
    </figure>
  </xsl:template>
</xsl:stylesheet>
