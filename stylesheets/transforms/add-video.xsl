<?xml version="1.0" encoding="UTF-8"?>
<!--
  add-video — give the domain a video device of the given model (or set the model of its first)
  Example: domfleet transform add-video -p model=virtio defs/
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="model" as="xs:string" required="yes" t:values="virtio qxl vga cirrus bochs ramfb none" t:doc="video model"/>

  <xsl:template match="/domain/devices[empty(video)]">
    <xsl:copy>
      <xsl:apply-templates select="@*, node()"/>
      <video><model type="{$model}"/></video>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/domain/devices/video[1][not(model/@type = $model)]">
    <xsl:copy>
      <xsl:apply-templates select="@*, node() except (model, driver)"/>
      <model type="{$model}"><xsl:copy-of select="model/@heads, model/@primary"/></model>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
