import { isIP } from 'node:net';

/**
 * The client address as the sign-in throttle counts it. An IPv4 address stands for itself (also when
 * written as IPv4-mapped IPv6, as Node reports it on a dual-stack socket); an IPv6 address stands for
 * its /64, because one subscriber is usually given a whole /64 and could otherwise make up a fresh
 * address for every guess. Anything else (no address at all) is kept as given, shortened.
 */
export function throttleAddress(clientAddress: string): string {
  const raw = clientAddress.trim().toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(raw);
  if (mapped && isIP(mapped[1]) === 4) return mapped[1];
  if (isIP(raw) === 4) return raw;
  if (isIP(raw) === 6) {
    const groups = expandIPv6(raw.replace(/%.*$/, ''));
    if (groups) return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return raw.slice(0, 64);
}

/** The eight 16-bit groups of an IPv6 address, each without leading zeros; null when it is not one. */
function expandIPv6(address: string): string[] | null {
  let text = address;
  // A trailing dotted IPv4 part (::1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    text = text.slice(0, v4.index) + `${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16).toString(16));
}

/**
 * How far apart attempts on an account must be once it has `failures` failed sign-ins (from every
 * address) in the window: nothing below `threshold`, then `baseMs`, doubling with each further
 * failure, never more than `maxMs`.
 */
export function slowdownStepMs(failures: number, threshold: number, baseMs: number, maxMs: number): number {
  if (failures < threshold) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - threshold, 30));
}
