<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize-inactive.xsl — the normal form of the inactive definition (what virsh dumpxml writes
  with its inactive flag): normalize.xsl's rules and, in the same mode and pass, the rules that
  strip runtime-only state of live dumps. Entry point only.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:include href="normalize.xsl"/>
  <xsl:include href="normalize/runtime.xsl"/>
</xsl:stylesheet>
