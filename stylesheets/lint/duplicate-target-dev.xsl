<?xml version="1.0" encoding="UTF-8"?>
<!-- Two disks with one target dev in one domain: libvirt refuses to define it ("target 'vda'
     duplicated for disk sources"). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="duplicate-target-dev" severity="error"
      summary="Two disks of one domain with the same target dev"/>

  <xsl:mode name="lint:duplicate-target-dev" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:duplicate-target-dev" match="/domain/devices/disk/target[@dev != ''][@dev = ../preceding-sibling::disk/target/@dev]">
    <lint:finding message="disk target {@dev} is already used by an earlier disk of this domain; libvirt refuses the definition"/>
  </xsl:template>
</xsl:stylesheet>
