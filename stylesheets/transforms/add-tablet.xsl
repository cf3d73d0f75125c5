<?xml version="1.0" encoding="UTF-8"?>
<!--
  add-tablet — add a USB tablet (absolute pointer, so the mouse follows the VNC/SPICE cursor)
  Example: domfleet transform add-tablet defs/
  A domain whose USB is switched off (a usb controller with model none) is left alone.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:template match="/domain/devices[empty(input[@type = 'tablet'])][empty(controller[@type = 'usb'][@model = 'none'])]">
    <xsl:copy>
      <xsl:apply-templates select="@*, node()"/>
      <input type="tablet" bus="usb"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
