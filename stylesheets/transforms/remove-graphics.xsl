<?xml version="1.0" encoding="UTF-8"?>
<!--
  remove-graphics — make the domain headless: graphics removed, with the SPICE channels and USB
  redirection that only work through SPICE
  Example: domfleet transform remove-graphics defs/
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:template match="/domain/devices/graphics"/>
  <xsl:template match="/domain/devices/channel[@type = 'spicevmc']"/>
  <xsl:template match="/domain/devices/redirdev[@type = 'spicevmc']"/>
  <xsl:template match="/domain/devices/audio[@type = 'spice']"/>
</xsl:stylesheet>
