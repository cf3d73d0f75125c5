<?xml version="1.0" encoding="UTF-8"?>
<!--
  normalize/order.xsl — the order libvirt writes things in (domain-xml-reference §1–2).
  Child order is keyed by the parent's name, attribute order by 'parent/element' or 'element'.
  Names not in a table keep their document order after the known ones; elements in a foreign
  namespace (driver extras such as qemu:commandline) come last. Included by normalize.xsl;
  the mode n:order is applied after the value rewrites of n:fix.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:n="urn:domfleet:normalize"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map" exclude-result-prefixes="#all">

  <xsl:variable name="n:children" as="map(xs:string, xs:string*)" select="map {
    'domain': ('name', 'uuid', 'genid', 'title', 'description', 'metadata', 'maxMemory', 'memory',
      'currentMemory', 'blkiotune', 'memtune', 'memoryBacking', 'vcpu', 'vcpus', 'iothreads',
      'iothreadids', 'defaultiothread', 'throttlegroups', 'cputune', 'numatune', 'resource', 'sysinfo',
      'bootloader', 'bootloader_args', 'os', 'idmap', 'features', 'cpu', 'clock', 'on_poweroff',
      'on_reboot', 'on_crash', 'on_lockfailure', 'pm', 'perf', 'devices', 'seclabel', 'keywrap',
      'launchSecurity'),
    'devices': ('emulator', 'disk', 'controller', 'lease', 'filesystem', 'interface', 'smartcard',
      'serial', 'parallel', 'console', 'channel', 'input', 'tpm', 'graphics', 'sound', 'audio', 'video',
      'hostdev', 'redirdev', 'redirfilter', 'hub', 'watchdog', 'memballoon', 'rng', 'nvram', 'panic',
      'shmem', 'memory', 'crypto', 'iommu', 'vsock', 'pstore'),
    'disk': ('driver', 'auth', 'source', 'backingStore', 'backenddomain', 'geometry', 'blockio',
      'mirror', 'target', 'iotune', 'throttlefilters', 'readonly', 'shareable', 'transient', 'serial',
      'wwn', 'vendor', 'product', 'encryption', 'boot', 'alias', 'address'),
    'interface': ('mac', 'source', 'vlan', 'virtualport', 'bandwidth', 'port', 'actual', 'ip', 'route',
      'portForward', 'script', 'downscript', 'backenddomain', 'target', 'guest', 'model', 'driver',
      'backend', 'filterref', 'tune', 'teaming', 'link', 'mtu', 'coalesce', 'boot', 'alias', 'rom',
      'acpi', 'address'),
    'graphics': ('listen', 'channel', 'image', 'jpeg', 'zlib', 'playback', 'streaming', 'mouse',
      'clipboard', 'filetransfer', 'gl', 'audio'),
    'serial': $n:chardev-children, 'parallel': $n:chardev-children,
    'console': $n:chardev-children, 'channel': $n:chardev-children,
    'controller': ('model', 'target', 'driver', 'alias', 'master', 'address', 'pcihole64'),
    'video': ('driver', 'model', 'alias', 'address'),
    'os': ('type', 'firmware', 'init', 'initarg', 'initenv', 'initdir', 'inituser', 'initgroup',
      'loader', 'nvram', 'kernel', 'initrd', 'cmdline', 'shim', 'dtb', 'root', 'acpi', 'boot',
      'bootmenu', 'bios', 'smbios'),
    'cpu': ('model', 'vendor', 'topology', 'cache', 'maxphysaddr', 'feature', 'numa'),
    'features': ('acpi', 'apic', 'pae', 'hap', 'viridian', 'privnet', 'hyperv', 'kvm', 'pvspinlock',
      'capabilities', 'pmu', 'vmport', 'gic', 'smm', 'ioapic', 'hpt', 'vmcoreinfo', 'htm', 'nested-hv',
      'msrs', 'ccf-assist', 'xen', 'cfpc', 'sbbc', 'ibs', 'tcg', 'async-teardown', 'ras', 'ps2', 'aia'),
    'memtune': ('hard_limit', 'soft_limit', 'min_guarantee', 'swap_hard_limit'),
    'memoryBacking': ('hugepages', 'nosharepages', 'locked', 'source', 'access', 'allocation', 'discard'),
    'cputune': ('shares', 'period', 'quota', 'global_period', 'global_quota', 'emulator_period',
      'emulator_quota', 'iothread_period', 'iothread_quota', 'vcpupin', 'emulatorpin', 'iothreadpin',
      'vcpusched', 'iothreadsched', 'emulatorsched', 'cachetune', 'memorytune')
  }"/>

  <xsl:variable name="n:chardev-children" as="xs:string*" select="('source', 'protocol', 'log', 'target', 'alias', 'address')"/>

  <xsl:variable name="n:attributes" as="map(xs:string, xs:string*)" select="map {
    'domain': ('type', 'id'),
    'disk': ('type', 'device', 'model', 'rawio', 'sgio', 'snapshot'),
    'disk/driver': ('name', 'type', 'cache', 'error_policy', 'rerror_policy', 'io', 'ioeventfd',
      'event_idx', 'copy_on_read', 'discard', 'iothread', 'detect_zeroes', 'queues', 'queue_size',
      'iommu', 'ats', 'packed', 'page_per_vq'),
    'disk/source': ('file', 'dev', 'dir', 'protocol', 'name', 'pool', 'volume', 'mode', 'startupPolicy', 'index'),
    'disk/target': ('dev', 'bus', 'tray', 'removable', 'rotation_rate'),
    'interface': ('type', 'managed', 'trustGuestRxFilters'),
    'interface/source': ('network', 'portgroup', 'portid', 'bridge', 'macTableManager', 'dev', 'type', 'path', 'mode', 'address', 'port'),
    'interface/target': ('dev', 'managed'),
    'mac': ('address', 'type', 'check', 'currentAddress'),
    'graphics': ('type', 'socket', 'port', 'tlsPort', 'autoport', 'websocket', 'listen', 'keymap',
      'defaultMode', 'sharePolicy', 'powerControl', 'passwd', 'passwdValidTo', 'connected'),
    'listen': ('type', 'address', 'network', 'socket'),
    'controller': ('type', 'index', 'model', 'ports', 'vectors', 'maxGrantFrames', 'maxEventChannels'),
    'video/model': ('type', 'ram', 'vram', 'vram64', 'vgamem', 'heads', 'primary'),
    'input': ('type', 'bus', 'model'),
    'memballoon': ('model', 'autodeflate', 'freePageReporting'),
    'address': ('type', 'domain', 'controller', 'bus', 'slot', 'target', 'unit', 'port', 'function', 'multifunction'),
    'vcpu': ('placement', 'cpuset', 'current'),
    'memory': ('dumpCore', 'unit'),
    'os': ('firmware'),
    'os/type': ('arch', 'machine'),
    'loader': ('readonly', 'secure', 'type', 'stateless', 'format'),
    'bootmenu': ('enable', 'timeout'),
    'bios': ('useserial', 'rebootTimeout'),
    'cpu': ('mode', 'match', 'check', 'migratable'),
    'cpu/model': ('fallback', 'vendor_id'),
    'topology': ('sockets', 'dies', 'clusters', 'cores', 'threads'),
    'feature': ('policy', 'name'),
    'cell': ('id', 'cpus', 'memory', 'unit', 'memAccess', 'discard'),
    'clock': ('offset', 'adjustment', 'basis', 'timezone', 'start'),
    'timer': ('name', 'present', 'tickpolicy', 'track', 'frequency', 'mode'),
    'serial/target': $n:chardev-target, 'console/target': $n:chardev-target,
    'channel/target': $n:chardev-target, 'parallel/target': $n:chardev-target,
    'serial/source': $n:chardev-source, 'console/source': $n:chardev-source,
    'channel/source': $n:chardev-source, 'parallel/source': $n:chardev-source,
    'seclabel': ('type', 'model', 'relabel'),
    'hostdev': ('mode', 'type', 'managed', 'sgio', 'rawio', 'model'),
    'filesystem': ('type', 'accessmode', 'model', 'multidevs', 'fmode', 'dmode'),
    'watchdog': ('model', 'action')
  }"/>

  <xsl:variable name="n:chardev-target" as="xs:string*" select="('type', 'name', 'address', 'port', 'state')"/>
  <xsl:variable name="n:chardev-source" as="xs:string*" select="('mode', 'host', 'service', 'path', 'append', 'tls')"/>

  <!-- The tables as name → position maps: SaxonJS looks a map up in constant time, while
       index-of() on a 40-name sequence, for every child of every element, dominated the run. -->
  <xsl:function name="n:rank-map" as="map(xs:string, xs:integer)">
    <xsl:param name="names" as="xs:string*"/>
    <xsl:sequence select="map:merge(for $i in 1 to count($names) return map { $names[$i]: $i }, map { 'duplicates': 'use-first' })"/>
  </xsl:function>
  <xsl:variable name="n:child-ranks" as="map(xs:string, map(xs:string, xs:integer))"
      select="map:merge(map:keys($n:children) ! map { .: n:rank-map($n:children(.)) })"/>
  <xsl:variable name="n:attribute-ranks" as="map(xs:string, map(xs:string, xs:integer))"
      select="map:merge(map:keys($n:attributes) ! map { .: n:rank-map($n:attributes(.)) })"/>

  <!-- Position of $name in a rank map; unknown names after all known ones. -->
  <xsl:function name="n:rank" as="xs:integer">
    <xsl:param name="ranks" as="map(xs:string, xs:integer)"/>
    <xsl:param name="name" as="xs:string"/>
    <xsl:sequence select="($ranks($name), 1000)[1]"/>
  </xsl:function>

  <xsl:function name="n:in-order" as="xs:boolean">
    <xsl:param name="ranks" as="xs:integer*"/>
    <xsl:sequence select="every $i in 2 to count($ranks) satisfies $ranks[$i - 1] le $ranks[$i]"/>
  </xsl:function>

  <!-- The attributes of $e in libvirt's order (unknown ones after, in document order). -->
  <xsl:function name="n:ordered-attributes" as="attribute()*">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="attributes" select="$e/@*"/>
    <xsl:choose>
      <xsl:when test="count($attributes) lt 2"><xsl:sequence select="$attributes"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="ranks" select="($n:attribute-ranks(local-name($e/..) || '/' || local-name($e)),
                                            $n:attribute-ranks(local-name($e)))[1]"/>
        <xsl:sequence select="if (empty($ranks) or n:in-order($attributes ! n:rank($ranks, name(.)))) then $attributes
                              else sort($attributes, (), function($a) { n:rank($ranks, name($a)) })"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Text, comments and processing instructions reach this mode only through n:with-comments,
       which copies them itself: the built-in text-only-copy stays as it always was. -->
  <xsl:mode name="n:order" on-no-match="text-only-copy" on-multiple-match="fail"/>

  <!-- Children in libvirt's order. Disks and controllers are also sorted within their kind. -->
  <xsl:template mode="n:order" match="*">
    <xsl:variable name="ranks" select="if (namespace-uri(.) = '') then $n:child-ranks(local-name()) else ()"/>
    <xsl:copy>
      <xsl:copy-of select="n:ordered-attributes(.)"/>
      <xsl:choose>
        <xsl:when test="empty($ranks) or n:already-ordered(., $ranks)">
          <xsl:apply-templates mode="n:order" select="node()"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="known" select="*[namespace-uri() = ''][map:contains($ranks, local-name())]"/>
          <xsl:variable name="placed" as="node()*">
            <xsl:for-each-group select="$known" group-by="n:rank($ranks, local-name())">
              <xsl:sort select="current-grouping-key()"/>
              <xsl:sequence select="n:sort-kind(current-group())"/>
            </xsl:for-each-group>
          </xsl:variable>
          <xsl:apply-templates mode="n:order" select="n:with-comments($placed)"/>
          <!-- Unknown children in no namespace, then foreign-namespace ones, each in document
               order, each with the comments written just before it. -->
          <xsl:apply-templates mode="n:order" select="n:with-comments(*[namespace-uri() = ''][not(map:contains($ranks, local-name()))])"/>
          <xsl:apply-templates mode="n:order" select="n:with-comments(*[namespace-uri() != ''])"/>
          <xsl:apply-templates mode="n:order" select="(comment() | processing-instruction())[empty(following-sibling::*)]"/>
          <xsl:apply-templates mode="n:order" select="text()[normalize-space()]"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:copy>
  </xsl:template>

  <!-- True when the children already stand in libvirt's order (the usual case for files libvirt
       or domfleet wrote), so the template can copy them as they are. -->
  <xsl:function name="n:already-ordered" as="xs:boolean">
    <xsl:param name="parent" as="element()"/>
    <xsl:param name="ranks" as="map(xs:string, xs:integer)"/>
    <xsl:variable name="children" select="$parent/*"/>
    <xsl:sequence select="n:in-order($children ! (if (namespace-uri(.) = '') then n:rank($ranks, local-name(.)) else 2000))
      and (every $kind in ('disk', 'controller') satisfies
             (let $group := $children[local-name() = $kind][namespace-uri() = '']
              return count($group) lt 2 or deep-equal(n:sort-kind($group) ! generate-id(.), $group ! generate-id(.))))"/>
  </xsl:function>

  <xsl:template mode="n:order" match="comment() | processing-instruction() | text()">
    <xsl:copy/>
  </xsl:template>

  <!-- Each element preceded by the comments and processing instructions that stood directly
       before it, so a comment travels with the element it describes. -->
  <xsl:function name="n:with-comments" as="node()*">
    <xsl:param name="elements" as="element()*"/>
    <xsl:sequence select="if (empty($elements/../(comment() | processing-instruction()))) then $elements else n:with-comments-slow($elements)"/>
  </xsl:function>
  <xsl:function name="n:with-comments-slow" as="node()*">
    <xsl:param name="elements" as="element()*"/>
    <xsl:for-each select="$elements">
      <xsl:variable name="me" select="."/>
      <xsl:sequence select="(preceding-sibling::comment() | preceding-sibling::processing-instruction())
                              [following-sibling::*[1] is $me], ."/>
    </xsl:for-each>
  </xsl:function>

  <!-- Order within one kind: disks grouped by bus in order of first appearance, sorted by target
       within a bus (virDomainDiskInsert); controllers the same by type then index
       (virDomainControllerInsertPreAlloced); everything else in document order. -->
  <xsl:function name="n:sort-kind" as="element()*">
    <xsl:param name="group" as="element()*"/>
    <xsl:variable name="kind" select="local-name($group[1])"/>
    <xsl:choose>
      <xsl:when test="$kind = 'disk' and local-name($group[1]/..) = 'devices'">
        <xsl:for-each-group select="$group" group-by="string(target/@bus)">
          <xsl:sequence select="sort(current-group(), (), function($d) { n:disk-key(string($d/target/@dev)) })"/>
        </xsl:for-each-group>
      </xsl:when>
      <xsl:when test="$kind = 'controller' and local-name($group[1]/..) = 'devices'">
        <xsl:for-each-group select="$group" group-by="string(@type)">
          <xsl:sequence select="sort(current-group(), (), function($c) {
            if (matches($c/@index, '^[0-9]+$')) then xs:integer($c/@index) else 0 })"/>
        </xsl:for-each-group>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$group"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- libvirt compares target names by the disk index their suffix encodes (vda < vdz < vdaa). -->
  <xsl:function name="n:disk-key" as="xs:string">
    <xsl:param name="dev" as="xs:string"/>
    <xsl:variable name="suffix" select="replace($dev, '^(hd|sd|vd|xvd|ubd|fd|nvme\d+n)', '')"/>
    <xsl:sequence select="if (matches($suffix, '^[a-z]+$'))
      then format-number(string-length($suffix), '00') || $suffix else $dev"/>
  </xsl:function>
</xsl:stylesheet>
