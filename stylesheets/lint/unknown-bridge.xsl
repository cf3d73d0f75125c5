<?xml version="1.0" encoding="UTF-8"?>
<!-- A bridged NIC on a bridge the hosts do not have: the domain is defined but does not start
     ("Cannot get interface MTU on 'br9'"). Runs only when the bridges are known: the bridges option or
     the config file's "bridges". -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="unknown-bridge" severity="error" needs="bridges"
      summary="A bridged NIC on a bridge not in the list of known bridges"/>

  <xsl:mode name="lint:unknown-bridge" on-no-match="deep-skip" on-multiple-match="fail"/>

  <!-- The known bridges, space-separated (bridge names cannot contain spaces). -->
  <xsl:param name="lint:bridges" as="xs:string" select="''"/>

  <xsl:template mode="lint:unknown-bridge" match="/domain/devices/interface[@type = 'bridge']/source[normalize-space(@bridge) != '']
      [not(contains(concat(' ', $lint:bridges, ' '), concat(' ', normalize-space(@bridge), ' ')))]">
    <lint:finding message="NIC on bridge {normalize-space(@bridge)}, which is not one of the known bridges"/>
  </xsl:template>
</xsl:stylesheet>
