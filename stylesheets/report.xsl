<?xml version="1.0" encoding="UTF-8"?>
<!--
  report.xsl — the fleet inventory as one self-contained HTML page: inline CSS, inline SVG
  charts, and a small inline script for sorting, filtering and paging that the page does not
  need to be read. Input: the <inventory> document src/core/report.ts assembles. Every string
  from the domain XML reaches the page as text, escaped by the HTML serializer; no secret is in
  the inventory to begin with.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:r="urn:domfleet:report"
    exclude-result-prefixes="#all">

  <xsl:include href="report/charts.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <xsl:function name="r:gib" as="xs:string">
    <xsl:param name="kib" as="xs:double?"/>
    <xsl:sequence select="if (empty($kib)) then '' else format-number($kib div 1048576, '#,##0.0')"/>
  </xsl:function>

  <xsl:mode on-no-match="text-only-copy" on-multiple-match="fail"/>

  <xsl:template match="/inventory">
    <xsl:variable name="domains" select="domain"/>
    <xsl:variable name="types" select="distinct-values(domain/@type) => sort()"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"/>
        <title><xsl:value-of select="@title"/></title>
        <style>
          body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
          h1 { margin-bottom: 0; } .meta, .note { color: #666; }
          .totals { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
          .totals li { border: 1px solid #ccc; border-radius: 6px; padding: .5rem 1rem; }
          .totals b { display: block; font-size: 1.6rem; }
          .charts { display: flex; flex-wrap: wrap; gap: 1.5rem; }
          figure.chart { margin: 0; } figcaption { font-weight: 600; }
          table { border-collapse: collapse; margin: .5rem 0 1.5rem; }
          th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
          th { background: #f3f3f3; } td.num { text-align: right; }
          tr.hidden { display: none; } .small { font-size: 12px; color: #555; }
          tr.finding.error td:first-child { color: #a32; font-weight: 600; } tr.finding.warning td:first-child { color: #a60; }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="@title"/></h1>
        <p class="meta">Generated <xsl:value-of select="@generated"/> by domfleet <xsl:value-of select="@version"/>.</p>

        <h2>Totals</h2>
        <ul class="totals" id="totals">
          <li><b id="total-hosts"><xsl:value-of select="count(host)"/></b>hosts</li>
          <li><b id="total-domains"><xsl:value-of select="count($domains)"/></b>domains</li>
          <li><b><xsl:value-of select="sum($domains/@vcpus)"/></b>vCPUs</li>
          <li><b><xsl:value-of select="r:gib(sum($domains/@memoryKib))"/></b>GiB memory</li>
          <li><b><xsl:value-of select="count($domains/disk)"/></b>disks</li>
          <li><b><xsl:value-of select="count($domains/nic)"/></b>NICs</li>
        </ul>

        <h2>Charts</h2>
        <div class="charts">
          <xsl:call-template name="r:bars">
            <xsl:with-param name="id" select="'chart-domains-per-host'"/>
            <xsl:with-param name="caption" select="'Domains per host, by hypervisor type'"/>
            <xsl:with-param name="legend" select="$types"/>
            <xsl:with-param name="items" select="host ! map { 'label': (@name[. != ''], '(no host)')[1], 'value': xs:double(@domains),
                'parts': array { for $t in $types return map { 'name': $t, 'value': xs:double((type[@name = $t]/@count, 0)[1]) } } }"/>
          </xsl:call-template>
          <xsl:call-template name="r:bars">
            <xsl:with-param name="id" select="'chart-memory-per-host'"/>
            <xsl:with-param name="caption" select="'Memory per host (GiB)'"/>
            <xsl:with-param name="items" select="host ! map { 'label': (@name[. != ''], '(no host)')[1], 'value': round(xs:double(@memoryKib) div 1048576 * 10) div 10 }"/>
          </xsl:call-template>
          <xsl:call-template name="r:bars">
            <xsl:with-param name="id" select="'chart-nic-types'"/>
            <xsl:with-param name="caption" select="'NICs by type'"/>
            <xsl:with-param name="items" select="for $t in distinct-values($domains/nic/@type) => sort() return map { 'label': $t, 'value': count($domains/nic[@type = $t]) }"/>
          </xsl:call-template>
          <xsl:call-template name="r:bars">
            <xsl:with-param name="id" select="'chart-disk-types'"/>
            <xsl:with-param name="caption" select="'Disks by type'"/>
            <xsl:with-param name="items" select="for $t in distinct-values($domains/disk/(@type || ' ' || @device)) => sort() return map { 'label': $t, 'value': count($domains/disk[@type || ' ' || @device = $t]) }"/>
          </xsl:call-template>
        </div>

        <h2>Hosts</h2>
        <table id="hosts">
          <thead><tr><th>host</th><th>domains</th><th>vCPUs</th><th>memory (GiB)</th><xsl:for-each select="$types"><th><xsl:value-of select="."/></th></xsl:for-each></tr></thead>
          <tbody>
            <xsl:for-each select="host">
              <xsl:variable name="h" select="."/>
              <tr><td><xsl:value-of select="(@name[. != ''], '(no host)')[1]"/></td><td class="num"><xsl:value-of select="@domains"/></td>
                <td class="num"><xsl:value-of select="@vcpus"/></td><td class="num"><xsl:value-of select="r:gib(@memoryKib)"/></td>
                <xsl:for-each select="$types"><td class="num"><xsl:value-of select="($h/type[@name = current()]/@count, 0)[1]"/></td></xsl:for-each></tr>
            </xsl:for-each>
          </tbody>
        </table>

        <h2>Domains</h2>
        <p><label>Filter <input type="search" id="filter" placeholder="name, host, type …" disabled="disabled"/></label>
          <span id="pager"/></p>
        <table id="domains">
          <thead><tr><th>host</th><th>name</th><th>type</th><th>vCPUs</th><th>memory (GiB)</th><th>disks</th><th>NICs</th><th>graphics</th><th>file</th></tr></thead>
          <tbody>
            <xsl:for-each select="$domains">
              <tr>
                <td><xsl:value-of select="@host"/></td>
                <td><xsl:value-of select="@name"/>
                  <xsl:if test="title or description">
                    <div class="small"><xsl:value-of select="title"/><xsl:if test="title and description"> — </xsl:if><xsl:value-of select="description"/></div>
                  </xsl:if></td>
                <td><xsl:value-of select="@type"/></td>
                <td class="num"><xsl:value-of select="@vcpus"/></td>
                <td class="num" data-sort="{@memoryKib}"><xsl:value-of select="r:gib(@memoryKib)"/></td>
                <td class="num"><xsl:value-of select="count(disk)"/></td>
                <td class="num"><xsl:value-of select="count(nic)"/></td>
                <td><xsl:value-of select="string-join(graphics/@type, ' ')"/></td>
                <td class="small"><xsl:value-of select="@file"/></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>

        <h2>Networks and bridges</h2>
        <table id="networks">
          <thead><tr><th>kind</th><th>name</th><th>domains</th></tr></thead>
          <tbody>
            <xsl:for-each select="network">
              <tr><td><xsl:value-of select="@kind"/></td><td><xsl:value-of select="@name"/></td>
                <td><xsl:value-of select="count(member)"/>: <span class="small"><xsl:value-of select="string-join(subsequence(member/@domain, 1, 20), ', ')"/><xsl:if test="count(member) gt 20"> …</xsl:if></span></td></tr>
            </xsl:for-each>
          </tbody>
        </table>

        <h2>Storage</h2>
        <table id="storage">
          <thead><tr><th>source</th><th>used by</th><th>shared</th></tr></thead>
          <tbody>
            <xsl:for-each select="storage">
              <tr><td><xsl:value-of select="@source"/></td><td><xsl:value-of select="string-join(member/@domain, ', ')"/></td>
                <td><xsl:if test="@shared = 'true'"><b>shared</b></xsl:if></td></tr>
            </xsl:for-each>
          </tbody>
        </table>

        <h2>Findings</h2>
        <p class="note">From <code>domfleet lint</code>'s rules (the same ids, severities and policy file); each rule links to its page.</p>
        <xsl:choose>
          <xsl:when test="finding">
            <table id="findings">
              <thead><tr><th>severity</th><th>rule</th><th>domain</th><th>finding</th><th>file</th></tr></thead>
              <tbody>
                <xsl:for-each select="finding">
                  <tr class="finding {@severity}">
                    <td><xsl:value-of select="@severity"/></td>
                    <td><a href="{@help}"><xsl:value-of select="@rule"/></a></td>
                    <td><xsl:value-of select="string-join((@host[. != ''], @domain), '/')"/></td>
                    <td><xsl:value-of select="."/></td>
                    <td class="small"><xsl:value-of select="@file"/><xsl:if test="@line">:<xsl:value-of select="@line"/></xsl:if></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:when>
          <xsl:otherwise><p id="findings">No findings.</p></xsl:otherwise>
        </xsl:choose>

        <h2>Old-format constructs</h2>
        <xsl:choose>
          <xsl:when test="domain[legacy]">
            <table id="legacy">
              <thead><tr><th>domain</th><th>constructs (migrate with <code>domfleet migrate --to modern</code>)</th></tr></thead>
              <tbody>
                <xsl:for-each select="domain[legacy]">
                  <tr><td><xsl:value-of select="string-join((@host[. != ''], @name), '/')"/></td><td><xsl:value-of select="string-join(legacy/@construct, '; ')"/></td></tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:when>
          <xsl:otherwise><p id="legacy">None.</p></xsl:otherwise>
        </xsl:choose>

        <script><xsl:text disable-output-escaping="yes">
(function () {
  'use strict';
  var table = document.getElementById('domains');
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var filter = document.getElementById('filter');
  var pager = document.getElementById('pager');
  var pageSize = 100, page = 0, shown = rows;
  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    if (page &gt;= pages) page = pages - 1;
    rows.forEach(function (r) { r.classList.add('hidden'); });
    shown.slice(page * pageSize, (page + 1) * pageSize).forEach(function (r) { r.classList.remove('hidden'); });
    pager.textContent = '';
    var info = document.createElement('span');
    info.textContent = ' ' + shown.length + ' domains, page ' + (page + 1) + ' of ' + pages + ' ';
    pager.appendChild(info);
    [['previous', -1], ['next', 1]].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button'; button.textContent = b[0];
      button.disabled = page + b[1] &lt; 0 || page + b[1] &gt;= pages;
      button.addEventListener('click', function () { page += b[1]; render(); });
      pager.appendChild(button);
    });
  }
  filter.disabled = false;
  filter.addEventListener('input', function () {
    var q = filter.value.toLowerCase();
    shown = rows.filter(function (r) { return r.textContent.toLowerCase().indexOf(q) !== -1; });
    page = 0; render();
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    th.style.cursor = 'pointer';
    th.addEventListener('click', function () {
      var dir = th.dataset.dir === 'asc' ? -1 : 1;
      th.dataset.dir = dir === 1 ? 'asc' : 'desc';
      function key(r) { var c = r.cells[col]; var v = c.dataset.sort || c.textContent; var n = parseFloat(v); return isNaN(n) ? v.toLowerCase() : n; }
      shown.sort(function (a, b) { var x = key(a), y = key(b); return x &lt; y ? -dir : x &gt; y ? dir : 0; });
      var body = table.tBodies[0];
      shown.forEach(function (r) { body.appendChild(r); });
      page = 0; render();
    });
  });
  render();
})();
</xsl:text></script>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
