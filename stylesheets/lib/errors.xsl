<?xml version="1.0" encoding="UTF-8"?>
<!--
  lib/errors.xsl — every error code domfleet's own stylesheets raise, declared once, each with
  what it means. Raise one as error($e:NAME, 'message'). The TypeScript side recognizes them by
  their namespace, urn:domfleet:errors (src/core/errors.ts, ERROR_NAMESPACE): a rule's refusal
  of a document, reported for that file; any other stylesheet error is a bug in domfleet.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:e="urn:domfleet:error-codes"
    exclude-result-prefixes="#all">

  <!-- migrate: the conversion could leave the guest unbootable (a Xen PV guest booting a host
       kernel); migrate with force converts it anyway. -->
  <xsl:variable name="e:unsafe-migration" as="xs:QName" select="QName('urn:domfleet:errors', 'err:unsafe-migration')"/>

  <!-- set-vcpus: guest NUMA cells name vCPUs beyond the new count; changing them is the
       operator's decision. -->
  <xsl:variable name="e:numa" as="xs:QName" select="QName('urn:domfleet:errors', 'err:numa')"/>
</xsl:stylesheet>
