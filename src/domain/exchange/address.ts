import { BlockList, isIP } from 'node:net';

/**
 * Which network addresses a peer of the exchange may be at. A peer is another deployment reached over
 * the public network; an endpoint that leads back into the server's own host or network (loopback,
 * private, link-local, unspecified and other non-public ranges) would let a clerk make the server call
 * itself or its neighbours. Pure: the DNS side is in src/exchange/peer-address.ts.
 */

const V4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  V4.addSubnet(net, bits, 'ipv4');

const V6 = new BlockList();
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001::', 32], // Teredo (tunnels to any IPv4 address)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  V6.addSubnet(net, bits, 'ipv6');

/** The 16 bytes of an IPv6 address (with a trailing dotted IPv4 part allowed), or null. */
export function ipv6Bytes(address: string): number[] | null {
  let a = address.replace(/%.*$/, '').toLowerCase();
  if (isIP(a) !== 6) return null;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  let tail: number[] = [];
  if (dotted) {
    tail = dotted[1].split('.').map(Number);
    a = a.slice(0, -dotted[1].length) + '0:0';
  }
  const [head, rest] = a.includes('::') ? a.split('::') : [a, null];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = rest === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
  if (dotted) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null. */
export function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const v4 = (at: number) => b.slice(at, at + 4).join('.');
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d, mapped
  if (zeros(0, 12)) return v4(12); // ::a.b.c.d, compatible (and :: / ::1, which the v6 list catches)
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12); // 64:ff9b::/96, NAT64
  if (b[0] === 0 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b[4] === 0 && b[5] === 1) return v4(12); // 64:ff9b:1::/48, local NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002::/16, 6to4
  return null;
}

/**
 * Why an IP address is not one a peer can be at (loopback, private, link-local, unspecified, or another
 * range that is not the public network), or null for a public address. A string that is not an IP
 * address is refused too.
 */
export function internalAddressProblem(address: string): string | null {
  const a = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(a);
  if (family === 4) return V4.check(a, 'ipv4') ? `${a} is a loopback, private, link-local or otherwise non-public address` : null;
  if (family === 6) {
    if (V6.check(a, 'ipv6')) return `${a} is a loopback, private, link-local or otherwise non-public address`;
    const inner = embeddedIpv4(a);
    if (inner !== null && V4.check(inner, 'ipv4')) return `${a} carries the non-public IPv4 address ${inner}`;
    return null;
  }
  return `${address} is not an IP address`;
}

/**
 * A URL's host as the resolver sees it: lower case, without brackets or the trailing dots of a fully
 * qualified name (`localhost.` is `localhost`). The WHATWG URL parser has already turned decimal,
 * octal and hexadecimal IPv4 forms (`2130706433`, `0x7f.1`) into dotted ones.
 */
export function normaliseHost(hostname: string): string {
  return hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase();
}

/**
 * Why a host name (not an IP address) names something on this host or its local network, or null.
 * Names that only make sense locally never reach a peer; other names are judged by what they resolve to.
 */
export function internalNameProblem(host: string): string | null {
  const h = normaliseHost(host);
  if (isIP(h)) return internalAddressProblem(h);
  if (h === '' || !h.includes('.')) return `${h || 'an empty host'} is not a fully qualified name (a local name)`;
  if (/(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(h)) return `${h} is a local name`;
  // A name that is all digits and dots, or a hex form the URL parser did not turn into an address, is an address in disguise.
  if (/^[\d.]+$/.test(h) || /^0x[0-9a-f]+(\.|$)/.test(h)) return `${h} is not a valid host name`;
  return null;
}
