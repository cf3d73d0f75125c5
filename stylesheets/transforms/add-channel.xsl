<?xml version="1.0" encoding="UTF-8"?>
<!--
  add-channel — add a guest-agent or SPICE agent channel, unless the domain has one
  Example: domfleet transform add-channel -p kind=guest-agent defs/
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="kind" as="xs:string" required="yes" t:values="guest-agent spicevmc" t:doc="which channel"/>

  <xsl:variable name="name" select="if ($kind = 'guest-agent') then 'org.qemu.guest_agent.0' else 'com.redhat.spice.0'"/>

  <xsl:template match="/domain/devices[empty(channel[target/@name = $name])]">
    <xsl:copy>
      <xsl:apply-templates select="@*, node()"/>
      <channel type="{if ($kind = 'guest-agent') then 'unix' else 'spicevmc'}">
        <target type="virtio" name="{$name}"/>
      </channel>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
