<?xml version="1.0" encoding="UTF-8"?>
<!--
  disk-bus — move disks from one bus to another, renaming targets as libvirt expects there
  Example: domfleet transform disk-bus -p from=ide -p to=virtio defs/
  Targets on the new bus are named vdX (virtio), sdX (sata, scsi, usb) or hdX (ide) in document
  order after the names other disks already use there; the old bus's <address> is dropped.
  CD-ROMs and floppies are left alone.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    xmlns:f="urn:domfleet:functions" exclude-result-prefixes="#all">
  <xsl:include href="../lib/functions.xsl"/>
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="from" as="xs:string" required="yes" t:values="ide sata scsi virtio usb xen" t:doc="bus the disks are on now"/>
  <xsl:param name="to" as="xs:string" required="yes" t:values="virtio sata scsi ide usb" t:doc="bus to move them to"/>

  <xsl:variable name="prefix" select="f:target-prefix($to)"/>
  <xsl:variable name="moving" select="/domain/devices/disk[target/@bus = $from][not(@device = ('cdrom', 'floppy', 'lun'))]"/>
  <xsl:variable name="taken" select="(/domain/devices/disk except $moving)[starts-with(target/@dev, $prefix)]/target/@dev ! string()"/>
  <xsl:variable name="free" select="(for $i in 0 to 701 return $prefix || f:disk-letters($i))[not(. = $taken)]"/>


  <xsl:template match="/domain/devices/disk[some $d in $moving satisfies $d is current()]">
    <xsl:variable name="me" select="."/>
    <xsl:copy>
      <xsl:apply-templates select="@*, node() except (target, address)"/>
      <target dev="{$free[count($moving[. &lt;&lt; $me]) + 1]}" bus="{$to}"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
