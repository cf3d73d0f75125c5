<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize/serialize.xsl — the exact bytes libvirt writes (reference §3): no XML declaration,
  two-space indentation, single-quoted attributes in libvirt's order, < > & ' " escaped in text
  and attributes alike, text-only elements on one line, a final newline. <metadata> content is
  written as libxml2 writes it (double quotes, its own escaping), as libvirt does. XSLT's own
  serializer can do neither, so this builds the text itself.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    xmlns:s="urn:domfleet:serialize" exclude-result-prefixes="#all">

  <xsl:function name="s:document" as="xs:string">
    <xsl:param name="doc" as="document-node()"/>
    <xsl:sequence select="string-join($doc/node()[not(self::text())] ! s:node(., '', false()) ! (. || '&#10;'))"/>
  </xsl:function>

  <!-- One node at $indent; $libxml2 selects libxml2's spelling (inside <metadata>). -->
  <xsl:function name="s:node" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="indent" as="xs:string"/>
    <xsl:param name="libxml2" as="xs:boolean"/>
    <xsl:choose>
      <xsl:when test="$node instance of element()"><xsl:sequence select="s:element($node, $indent, $libxml2)"/></xsl:when>
      <xsl:when test="$node instance of comment()"><xsl:sequence select="$indent || '&lt;!--' || string($node) || '--&gt;'"/></xsl:when>
      <xsl:when test="$node instance of processing-instruction()">
        <xsl:sequence select="$indent || '&lt;?' || name($node) || (if (string($node)) then ' ' || string($node) else '') || '?&gt;'"/>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="s:text(string($node), $libxml2)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="s:element" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="indent" as="xs:string"/>
    <xsl:param name="libxml2" as="xs:boolean"/>
    <xsl:variable name="in-metadata" select="$libxml2 or (local-name($e/..) = 'metadata' and namespace-uri($e/..) = '' and exists($e/../parent::domain))"/>
    <xsl:variable name="q" select="if ($in-metadata) then '&quot;' else ''''"/>
    <xsl:variable name="namespaces" select="s:declared-namespaces($e) ! (' ' || . || '=' || $q || s:attr-value(namespace-uri-for-prefix(substring-after(., ':')[. != ''], $e), $in-metadata) || $q)"/>
    <xsl:variable name="attributes" select="(if ($in-metadata) then $e/@* else n:ordered-attributes($e))
                                            ! (' ' || name(.) || '=' || $q || s:attr-value(string(.), $in-metadata) || $q)"/>
    <xsl:variable name="start" select="$indent || '&lt;' || name($e) ||
        string-join(if ($in-metadata) then ($namespaces, $attributes) else ($attributes, $namespaces))"/>
    <xsl:variable name="content" select="$e/node()[not(self::text()[not(normalize-space())]) or ../text()[normalize-space()]]"/>
    <xsl:choose>
      <xsl:when test="empty($content) and s:always-open($e)">
        <xsl:sequence select="$start || '&gt;&#10;' || $indent || '&lt;/' || name($e) || '&gt;'"/>
      </xsl:when>
      <xsl:when test="empty($content)">
        <xsl:sequence select="$start || '/&gt;'"/>
      </xsl:when>
      <xsl:when test="every $c in $content satisfies $c instance of text()">
        <xsl:sequence select="$start || '&gt;' || s:text(string($e), $in-metadata) || '&lt;/' || name($e) || '&gt;'"/>
      </xsl:when>
      <xsl:when test="$e/text()[normalize-space()]">
        <!-- Mixed content: written as it stands, no indentation added inside. -->
        <xsl:sequence select="$start || '&gt;' || string-join($e/node() ! s:inline(., $in-metadata)) || '&lt;/' || name($e) || '&gt;'"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="inner" select="$indent || '  '"/>
        <xsl:sequence select="$start || '&gt;&#10;' ||
          string-join($content ! (s:node(., $inner, $in-metadata or (local-name($e) = 'metadata' and exists($e/parent::domain))) || '&#10;')) ||
          $indent || '&lt;/' || name($e) || '&gt;'"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="s:inline" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="libxml2" as="xs:boolean"/>
    <xsl:sequence select="if ($node instance of element()) then s:element($node, '', $libxml2) => replace('&#10;\s*', '')
                          else s:node($node, '', $libxml2)"/>
  </xsl:function>

  <!-- xmlns declarations this element makes (its parent does not already have them). -->
  <xsl:function name="s:declared-namespaces" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="parent" select="$e/parent::element()"/>
    <xsl:for-each select="in-scope-prefixes($e)[. != 'xml']">
      <xsl:variable name="uri" select="namespace-uri-for-prefix(., $e)"/>
      <xsl:if test="empty($parent) and $uri != '' or exists($parent) and not(namespace-uri-for-prefix(., $parent) = $uri)">
        <xsl:sequence select="if (. = '') then 'xmlns' else 'xmlns:' || ."/>
      </xsl:if>
    </xsl:for-each>
  </xsl:function>

  <!-- Elements libvirt writes with an opening and a closing tag even when empty. -->
  <xsl:function name="s:always-open" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="namespace-uri($e) = '' and (local-name($e) = ('devices', 'redirdev')
                          or (local-name($e) = 'graphics' and $e/@type = 'vnc'))"/>
  </xsl:function>

  <!-- virBufferEscapeString: five characters, in text as in attributes; C0 controls dropped. -->
  <xsl:function name="s:text" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="libxml2" as="xs:boolean"/>
    <xsl:sequence select="if ($libxml2)
      then $text => replace('&amp;', '&amp;amp;') => replace('&lt;', '&amp;lt;') => replace('&gt;', '&amp;gt;') => replace('&#13;', '&amp;#13;')
      else s:libvirt-escape($text)"/>
  </xsl:function>

  <xsl:function name="s:attr-value" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:param name="libxml2" as="xs:boolean"/>
    <xsl:sequence select="if ($libxml2)
      then $value => replace('&amp;', '&amp;amp;') => replace('&lt;', '&amp;lt;') => replace('&gt;', '&amp;gt;')
                  => replace('&quot;', '&amp;quot;') => replace('&#10;', '&amp;#10;') => replace('&#13;', '&amp;#13;') => replace('&#9;', '&amp;#9;')
      else s:libvirt-escape($value)"/>
  </xsl:function>

  <xsl:function name="s:libvirt-escape" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="if (matches($text, '[&amp;&lt;&gt;''&quot;]'))
      then $text => replace('&amp;', '&amp;amp;') => replace('&lt;', '&amp;lt;') => replace('&gt;', '&amp;gt;')
                 => replace('''', '&amp;apos;') => replace('&quot;', '&amp;quot;')
      else $text"/>
  </xsl:function>
</xsl:stylesheet>
