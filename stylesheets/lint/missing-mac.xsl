<?xml version="1.0" encoding="UTF-8"?>
<!-- A NIC without a MAC address gets a random one from libvirt each time the definition is
     defined: the definition is not reproducible, and DHCP reservations and firewall rules keyed
     by MAC break on every redefine. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="missing-mac" severity="warning"
      summary="A NIC without a MAC address (libvirt invents a new one on every define)"/>

  <xsl:mode name="lint:missing-mac" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:missing-mac" match="/domain/devices/interface[not(normalize-space(mac/@address) != '')]">
    <lint:finding message="{@type} interface {(source/@bridge | source/@network | source/@dev)[1]} has no MAC address; libvirt generates a random one on every define"/>
  </xsl:template>
</xsl:stylesheet>
