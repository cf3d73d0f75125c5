<?xml version="1.0" encoding="UTF-8"?>
<!--
  set-vcpus — set the number of virtual CPUs
  Example: domfleet transform set-vcpus -p count=4 defs/
  A CPU topology that no longer multiplies out becomes count sockets of one core and one thread;
  a current= above the new count is dropped. Guest NUMA cells name vCPUs one by one, so a domain
  whose cells use vCPUs beyond the new count is refused (err:numa) rather than guessed at.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:domfleet:transform"
    xmlns:e="urn:domfleet:error-codes" exclude-result-prefixes="#all">
  <xsl:include href="../lib/errors.xsl"/>
  <xsl:mode on-no-match="shallow-copy" on-multiple-match="fail"/>
  <xsl:param name="count" as="xs:integer" required="yes" t:min="1" t:doc="number of vCPUs (1 or more)"/>

  <xsl:template match="/domain/cpu/numa[some $c in cell/@cpus satisfies
      (some $n in tokenize($c, '[,\-^]')[. castable as xs:integer] satisfies xs:integer($n) ge $count)]">
    <xsl:sequence select="error($e:numa,
      'set-vcpus: the guest NUMA cells use vCPUs beyond ' || ($count - 1) || '; change &lt;numa&gt; by hand')"/>
  </xsl:template>

  <xsl:template match="/domain/vcpu">
    <xsl:copy>
      <xsl:apply-templates select="@* except @current[xs:integer(.) gt $count]"/>
      <xsl:value-of select="$count"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/domain/cpu/topology[xs:integer(@sockets) * xs:integer((@dies, 1)[1]) * xs:integer((@clusters, 1)[1]) * xs:integer(@cores) * xs:integer(@threads) != $count]">
    <topology sockets="{$count}" cores="1" threads="1"/>
  </xsl:template>
</xsl:stylesheet>
