import { isIP } from 'node:net';

const isLoopback = (a: string) => {
  const v = a.toLowerCase().replace(/^::ffff:/, '');
  return (isIP(v) === 4 && v.startsWith('127.')) || v === '::1';
};

/**
 * The client's address as Express works it out with `trust proxy` set to `loopback`: X-Forwarded-For
 * is believed only as far as the hops before it are loopback (a reverse proxy on the same host). Used
 * for WebSocket upgrades, which do not go through Express, so that sign-in throttling and sessions see
 * the same address on both transports.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
  if (!socketAddress) return 'unknown';
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = [
    socketAddress,
    ...header
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean)
      .reverse(),
  ];
  let i = 0;
  while (i < hops.length - 1 && isLoopback(hops[i])) i++;
  return hops[i];
}
