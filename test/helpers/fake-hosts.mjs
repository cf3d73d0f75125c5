// Fake hypervisor hosts for libvirt's test driver (test:///PATH/host.xml, a <node> of domains),
// made from the example fleet: each example domain copied, renamed and given a UUID and MACs of
// its own, dealt round-robin to the hosts. Used by the live-host tests and the benchmark.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES } from './run.mjs';

/** Writes one host file per name into `dir`; returns { files, uris, total }. */
export function fakeHosts(dir, hostNames, domainsPerHost) {
  const examples = ['host-a', 'host-b', 'host-c'].flatMap((h) => readdirSync(join(EXAMPLES, h)).sort().map((f) => readFileSync(join(EXAMPLES, h, f), 'utf8').replace(/<\?xml[^>]*>/, '')));
  const perHost = hostNames.map(() => []);
  const total = hostNames.length * domainsPerHost;
  for (let n = 1; n <= total; n++) {
    const xml = examples[(n - 1) % examples.length];
    const copy = Math.floor((n - 1) / examples.length);
    const hex = (v) => v.toString(16).padStart(2, '0');
    // A NIC without a MAC gets a random one from libvirt at every connection: give each one.
    const withMacs = xml.replace(/<interface([^>]*)>((?:(?!<\/interface>)[\s\S])*)<\/interface>/g, (whole, attrs, body) =>
      body.includes('<mac ') ? whole : `<interface${attrs}><mac address='52:54:00:ff:${hex(n >> 8)}:${hex(n & 255)}'/>${body}</interface>`);
    perHost[(n - 1) % hostNames.length].push(withMacs
      .replace(/<name>([^<]*)<\/name>/, (_, name) => `<name>${name}-${copy}</name>`)
      .replace(/<uuid>[^<]*<\/uuid>/, `<uuid>00000000-0000-4000-8000-${String(n).padStart(12, '0')}</uuid>`));
  }
  const files = {};
  hostNames.forEach((host, h) => {
    files[host] = join(dir, `${host}.xml`);
    writeFileSync(files[host], `<node>\n${perHost[h].join('\n')}\n</node>\n`);
  });
  return { files, uris: hostNames.map((h) => `test://${files[h]}`), total };
}
