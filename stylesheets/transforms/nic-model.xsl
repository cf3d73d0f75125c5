<?xml version="1.0" encoding="UTF-8"?>
<!--
  nic-model — set the model of every network interface
  Example: domfleet transform nic-model -p model=virtio defs/
  Drops <driver> from NICs that stop being virtio: libvirt writes it only for virtio.
  vhost-user NICs are virtio by nature and are left alone.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    exclude-result-prefixes="#all">
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="model" as="xs:string" required="yes" t:values="virtio e1000 e1000e rtl8139 ne2k_pci pcnet vmxnet3" t:doc="NIC model"/>

  <xsl:template match="/domain/devices/interface[not(model/@type = $model)][not(@type = 'vhostuser')]">
    <xsl:copy>
      <xsl:apply-templates select="@*, node() except (model, driver[$model != 'virtio'])"/>
      <model type="{$model}"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
