<?xml version="1.0" encoding="UTF-8"?>
<!--
  lib/functions.xsl — small functions every rule set uses: libvirt's memory units, MAC and UUID
  spellings, PCI address numbers. Pure functions, no templates.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:f="urn:domfleet:functions"
    exclude-result-prefixes="#all">

  <!-- Bytes per unit, keyed by lower-case spelling: the table in lib/units.json, which the
       TypeScript side reads too (src/core/units.ts). Relative to stylesheets/, where every
       built-in stylesheet resolves relative URIs (src/core/engines/saxon.ts). -->
  <xsl:variable name="f:unit-bytes" as="map(*)" select="json-doc('lib/units.json')"/>

  <!-- Size in KiB, rounded up as libvirt does; no unit means KiB. Empty for an unknown unit or
       a value that is not a whole number. -->
  <xsl:function name="f:to-kib" as="xs:integer?">
    <xsl:param name="value" as="xs:string"/>
    <xsl:param name="unit" as="xs:string?"/>
    <xsl:variable name="bytes" select="$f:unit-bytes(lower-case(($unit[normalize-space()], 'KiB')[1]))[. castable as xs:decimal] ! xs:decimal(.)"/>
    <xsl:variable name="number" select="normalize-space($value)"/>
    <!-- In decimals: SaxonJS's integer arithmetic is not exact beyond 2^53 (1000 PiB). -->
    <xsl:sequence select="if (exists($bytes) and matches($number, '^[0-9]+$'))
                          then (xs:decimal($number) * $bytes + 1023) idiv 1024 else ()"/>
  </xsl:function>

  <!-- libvirt's UUID spelling: lower-case 8-4-4-4-12; anything else is returned unchanged. -->
  <xsl:function name="f:uuid" as="xs:string">
    <xsl:param name="uuid" as="xs:string"/>
    <xsl:variable name="hex" select="lower-case(replace(normalize-space($uuid), '[-{}\s]', ''))"/>
    <xsl:sequence select="if (matches($hex, '^[0-9a-f]{32}$'))
      then string-join((substring($hex, 1, 8), substring($hex, 9, 4), substring($hex, 13, 4),
                        substring($hex, 17, 4), substring($hex, 21, 12)), '-')
      else $uuid"/>
  </xsl:function>

  <!-- A number written as libvirt writes PCI address parts: 0x plus $digits hex digits
       (function: one digit). Unparseable input is returned unchanged. -->
  <xsl:function name="f:pci-hex" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:param name="digits" as="xs:integer"/>
    <!-- Most values are written as libvirt writes them already, and this runs for every PCI
         address of every file: those are returned as they are, without converting them
         (converting took half of normalize's rules time). -->
    <xsl:sequence select="if (string-length($value) = $digits + 2 and starts-with($value, '0x')
                              and translate(substring($value, 3), '0123456789abcdef', '') = '')
                          then $value else f:pci-hex-converted($value, $digits)"/>
  </xsl:function>

  <xsl:function name="f:pci-hex-converted" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:param name="digits" as="xs:integer"/>
    <xsl:variable name="v" select="lower-case(normalize-space($value))"/>
    <xsl:variable name="n" as="xs:integer?" select="
      if (matches($v, '^0x[0-9a-f]+$')) then f:hex-to-int(substring($v, 3))
      else if (matches($v, '^[0-9]+$')) then xs:integer($v) else ()"/>
    <xsl:sequence select="if (exists($n)) then '0x' || f:int-to-hex($n, $digits) else $value"/>
  </xsl:function>

  <xsl:function name="f:hex-to-int" as="xs:integer">
    <xsl:param name="hex" as="xs:string"/>
    <xsl:sequence select="fold-left(string-to-codepoints($hex), 0, function($acc, $c) {
      $acc * 16 + (if ($c le 57) then $c - 48 else $c - 87) })"/>
  </xsl:function>

  <xsl:function name="f:int-to-hex" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="digits" as="xs:integer"/>
    <xsl:variable name="raw" select="if ($n lt 16) then substring('0123456789abcdef', $n + 1, 1)
      else f:int-to-hex($n idiv 16, 1) || substring('0123456789abcdef', $n mod 16 + 1, 1)"/>
    <xsl:sequence select="if (string-length($raw) lt $digits)
      then string-join((for $i in 1 to $digits - string-length($raw) return '0', $raw)) else $raw"/>
  </xsl:function>
  <!-- ===== Disks and inputs: libvirt's rules, written once for normalize, migrate and the
       transforms ===== -->

  <!-- The bus libvirt derives from a disk target's name when bus= is missing
       (virDomainDiskDefAssignAddress / virDiskNameParse): floppies are fdc, then by prefix. -->
  <xsl:function name="f:bus-for-target" as="xs:string">
    <xsl:param name="dev" as="xs:string"/>
    <xsl:param name="device" as="xs:string?"/>
    <xsl:sequence select="
      if ($device = 'floppy') then 'fdc'
      else if (starts-with($dev, 'hd')) then 'ide'
      else if (starts-with($dev, 'sd')) then 'scsi'
      else if (starts-with($dev, 'vd')) then 'virtio'
      else if (starts-with($dev, 'xvd')) then 'xen'
      else if (starts-with($dev, 'ubd')) then 'uml'
      else 'ide'"/>
  </xsl:function>

  <!-- The target name prefix libvirt expects on a bus (vda on virtio, sda on SATA/SCSI/USB, hda
       on IDE); empty for a bus without one. -->
  <xsl:function name="f:target-prefix" as="xs:string?">
    <xsl:param name="bus" as="xs:string"/>
    <xsl:sequence select="map { 'virtio': 'vd', 'sata': 'sd', 'scsi': 'sd', 'usb': 'sd', 'ide': 'hd', 'xen': 'xvd', 'fdc': 'fd' }($bus)"/>
  </xsl:function>

  <!-- Disk name suffix for a zero-based index: a … z, aa … (libvirt's virDiskNameToIndex). -->
  <xsl:function name="f:disk-letters" as="xs:string">
    <xsl:param name="index" as="xs:integer"/>
    <xsl:sequence select="if ($index lt 26) then codepoints-to-string(97 + $index)
                          else f:disk-letters($index idiv 26 - 1) || codepoints-to-string(97 + $index mod 26)"/>
  </xsl:function>

  <!-- The bus libvirt picks for a mouse, keyboard or tablet without bus=: a tablet is USB; PS/2
       on x86 HVM, xen on Xen PV, USB elsewhere. -->
  <xsl:function name="f:default-input-bus" as="xs:string">
    <xsl:param name="input" as="element(input)"/>
    <xsl:variable name="domain" select="root($input)/domain"/>
    <xsl:variable name="hvm" select="normalize-space($domain/os/type) = 'hvm'"/>
    <xsl:sequence select="
      if ($input/@type = 'tablet') then 'usb'
      else if ($domain/@type = 'xen' and not($hvm)) then 'xen'
      else if ($hvm and string($domain/os/type/@arch) = ('', 'i686', 'x86_64')) then 'ps2'
      else 'usb'"/>
  </xsl:function>
</xsl:stylesheet>
