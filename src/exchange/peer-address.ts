import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { internalAddressProblem, internalNameProblem, normaliseHost } from '../domain/exchange/address';

/** Resolves a host name to every address it has (the system resolver by default; tests give their own). */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: HostLookup = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** An endpoint that leads into the server's own host or network. */
export class InternalPeerAddress extends Error {
  readonly code = 'EINTERNALPEER';
  constructor(detail: string) {
    super(`the peer's address is not public: ${detail}`);
    this.name = 'InternalPeerAddress';
  }
}

/**
 * The addresses a peer's host may be connected to: an IP literal as it is, a name as the resolver
 * answers. Throws {@link InternalPeerAddress} when the name is a local one or when any address it
 * resolves to is loopback, private, link-local, unspecified or otherwise not public (a name that has
 * one inward address among public ones is refused whole: it is not a peer's). Resolver failures
 * propagate as they are.
 */
export async function publicAddressesOf(host: string, lookup: HostLookup): Promise<LookupAddress[]> {
  const h = normaliseHost(host);
  const nameProblem = internalNameProblem(h);
  if (nameProblem) throw new InternalPeerAddress(nameProblem);
  const family = isIP(h);
  if (family) return [{ address: h, family }];
  const all = await lookup(h);
  if (all.length === 0) throw Object.assign(new Error(`${h} has no address`), { code: 'ENOTFOUND' });
  for (const a of all) {
    const problem = internalAddressProblem(a.address);
    if (problem) throw new InternalPeerAddress(`${h} resolves to ${problem}`);
  }
  return all;
}

/**
 * A `lookup` for http.request / net.connect that resolves once, checks every address, and hands the
 * socket only checked addresses: the connection goes to what was checked, so a name that answers one
 * address to the check and another to the connection (DNS rebinding) gets nowhere. With
 * `allowInternal` (outside production) it only resolves.
 */
export function checkedLookup(lookup: HostLookup, allowInternal: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const h = normaliseHost(hostname);
    const family = isIP(h);
    const resolved = !allowInternal ? publicAddressesOf(hostname, lookup) : family ? Promise.resolve([{ address: h, family }]) : lookup(h);
    resolved.then(
      (all) => {
        const wanted = options.family === 4 || options.family === 6 ? all.filter((a) => a.family === options.family) : all;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0].address, wanted[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
