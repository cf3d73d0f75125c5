<?xml version="1.0" encoding="UTF-8"?>
<!-- Xen paravirtual pieces in a domain that is not a Xen domain: QEMU/KVM has no xen bus, no
     netfront NIC and no 'linux' or 'xen' OS type, so libvirt refuses the definition or the guest
     boots without its disks and NICs. domfleet migrate (to kvm) rewrites them. -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="xen-leftover" severity="warning"
      summary="Xen-only constructs (xen bus, netfront NIC, os type linux/xen) in a non-Xen domain"/>

  <xsl:mode name="lint:xen-leftover" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:xen-leftover" match="/domain[not(@type = 'xen')]/devices/disk/target[@bus = 'xen']">
    <lint:finding message="disk {@dev} is on bus='xen', which only Xen has"/>
  </xsl:template>

  <xsl:template mode="lint:xen-leftover" match="/domain[not(@type = 'xen')]/devices/input[@bus = 'xen']">
    <lint:finding message="{@type} input is on bus='xen', which only Xen has"/>
  </xsl:template>

  <xsl:template mode="lint:xen-leftover" match="/domain[not(@type = 'xen')]/devices/console/target[@type = 'xen']">
    <lint:finding message="console target type='xen' is a Xen paravirtual console"/>
  </xsl:template>

  <xsl:template mode="lint:xen-leftover" match="/domain[not(@type = 'xen')]/os/type[normalize-space(.) = 'linux' or normalize-space(.) = 'xen']">
    <lint:finding message="os type '{normalize-space(.)}' is Xen paravirtual; a {/domain/@type} domain boots 'hvm'"/>
  </xsl:template>

  <xsl:template mode="lint:xen-leftover" match="/domain[not(@type = 'xen')]/devices/interface/model[@type = 'netfront']">
    <lint:finding message="NIC model netfront is Xen's paravirtual NIC"/>
  </xsl:template>
</xsl:stylesheet>
