<?xml version="1.0" encoding="UTF-8"?>
<!-- Two NICs with one MAC address, anywhere in the fleet: on one L2 segment they steal each
     other's traffic, and DHCP reservations keyed by MAC hand both the same address. libvirt reads
     MACs in any letter case, so they are compared lower-cased. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="duplicate-mac" severity="error" join="fleet" message="MAC address {shown} is also used by {others}"
      summary="A MAC address used by more than one NIC in the fleet"/>

  <xsl:mode name="lint:duplicate-mac" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:duplicate-mac" match="/domain/devices/interface/mac[normalize-space(@address) != '']">
    <lint:fact key="{translate(normalize-space(@address), 'ABCDEF', 'abcdef')}"/>
  </xsl:template>
</xsl:stylesheet>
