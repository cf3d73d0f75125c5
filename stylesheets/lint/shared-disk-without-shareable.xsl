<?xml version="1.0" encoding="UTF-8"?>
<!-- One writable disk image in two domains: two guests writing one file system without a cluster
     file system corrupt it, and libvirt's lock manager refuses to start the second. A use is safe
     when marked <shareable/> or <readonly/>, or when it is a CD-ROM or a <transient/> disk.
     Network disks are the same image only when protocol, name and snapshot are all the same:
     an rbd image at two snapshots is two images; they are one image whichever host uses them.
     A path or a pool is one image only on one host, unless the path lies in a folder every host
     mounts (the policy's sharedStorage: NFS, a cluster file system, /dev/disk/by-id of a SAN). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="shared-disk-without-shareable" severity="error" join="fleet" message="{shown} is writable here and also used by {others}; mark every use shareable, or readonly"
      summary="A writable disk image used by more than one domain without shareable"/>

  <xsl:mode name="lint:shared-disk-without-shareable" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:shared-disk-without-shareable" match="/domain/devices/disk[not(@type) or @type = 'file'][normalize-space(source/@file) != '']">
    <lint:fact key="file:{normalize-space(source/@file)}" scope="host" storage="{normalize-space(source/@file)}" exempt="{boolean(shareable or readonly or transient or @device = 'cdrom')}"
        shown="disk image {normalize-space(source/@file)} ({target/@dev})"/>
  </xsl:template>

  <xsl:template mode="lint:shared-disk-without-shareable" match="/domain/devices/disk[@type = 'block'][normalize-space(source/@dev) != '']">
    <lint:fact key="block:{normalize-space(source/@dev)}" scope="host" storage="{normalize-space(source/@dev)}" exempt="{boolean(shareable or readonly or transient or @device = 'cdrom')}"
        shown="block device {normalize-space(source/@dev)} ({target/@dev})"/>
  </xsl:template>

  <xsl:template mode="lint:shared-disk-without-shareable" match="/domain/devices/disk[@type = 'network'][normalize-space(source/@name) != '']">
    <lint:fact key="network:{source/@protocol}:{normalize-space(source/@name)}@{source/snapshot/@name}"
        exempt="{boolean(shareable or readonly or transient or @device = 'cdrom')}"
        shown="{source/@protocol} image {normalize-space(source/@name)}{substring('@', 1, number(boolean(source/snapshot/@name)))}{source/snapshot/@name} ({target/@dev})"/>
  </xsl:template>

  <xsl:template mode="lint:shared-disk-without-shareable" match="/domain/devices/disk[@type = 'volume'][normalize-space(source/@volume) != '']">
    <lint:fact key="volume:{source/@pool}/{normalize-space(source/@volume)}" scope="host" exempt="{boolean(shareable or readonly or transient or @device = 'cdrom')}"
        shown="volume {source/@pool}/{normalize-space(source/@volume)} ({target/@dev})"/>
  </xsl:template>
</xsl:stylesheet>
