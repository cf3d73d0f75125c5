<?xml version="1.0" encoding="UTF-8"?>
<!-- A VNC console reachable from the network with no password is a keyboard and screen for
     anyone who can reach the port. Loopback-only listeners (reached through an SSH tunnel) are
     fine; passwd='' turns VNC access off. The saved query vnc-open lists the same consoles
     (a test holds the two to the same answer). -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:lint="urn:domfleet:lint"
    exclude-result-prefixes="#all">
  <lint:rule id="vnc-open" severity="error"
      summary="A VNC console listening beyond loopback without a password"/>

  <xsl:mode name="lint:vnc-open" on-no-match="deep-skip" on-multiple-match="fail"/>

  <xsl:template mode="lint:vnc-open" match="/domain/devices/graphics[@type = 'vnc'][not(@passwd)]
      [(@listen and not(@listen = '127.0.0.1' or @listen = '::1' or @listen = 'localhost'))
       or listen[@type = 'address'][@address and not(@address = '127.0.0.1' or @address = '::1' or @address = 'localhost')]
       or listen[@type = 'network']]">
    <lint:finding message="VNC console listens on {(@listen | listen[@type = 'address']/@address | listen[@type = 'network']/@network)[1]} without a password"/>
  </xsl:template>
</xsl:stylesheet>
