import { embeddedIpv4, internalAddressProblem, internalNameProblem, normaliseHost } from '../../src/domain/exchange/address';
import { InternalPeerAddress, checkedLookup, publicAddressesOf, type HostLookup } from '../../src/exchange/peer-address';

/** The host of a URL as the endpoint check sees it (the WHATWG parser normalises numeric IPv4 forms). */
const hostOf = (url: string) => normaliseHost(new URL(url).hostname);

describe('peer addresses', () => {
  it('refuses loopback, private, link-local, unspecified and other non-public addresses, in every spelling', () => {
    const inward = [
      'https://localhost.:4301/exchange/messages',
      'https://LOCALHOST/x',
      'https://[::127.0.0.1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://[::ffff:7f00:1]/x',
      'https://[0:0:0:0:0:ffff:a00:1]/x',
      'https://[64:ff9b::a9fe:a9fe]/x',
      'https://[2002:c0a8:101::1]/x',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x',
      'https://[::1]/x',
      'https://[::]/x',
      'https://[fe80::1]/x',
      'https://[fd12:3456::1]/x',
      'https://127.0.0.1/x',
      'https://127.1/x',
      'https://2130706433/x',
      'https://0x7f000001/x',
      'https://0x7f.1/x',
      'https://017700000001/x',
      'https://0177.0.0.1/x',
      'https://0.0.0.0/x',
      'https://0/x',
      'https://10.1.2.3/x',
      'https://172.20.0.1/x',
      'https://192.168.1.5/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://224.0.0.1/x',
      'https://255.255.255.255/x',
      'https://intranet/x',
      'https://db.internal/x',
      'https://printer.local./x',
      'https://router.home.arpa/x',
      'https://a.localhost/x',
    ];
    expect(inward.filter((u) => internalNameProblem(hostOf(u)) === null)).toEqual([]);
  });

  it('takes public addresses and names', () => {
    const outward = [
      'https://vpdt.phuyen.gov.vn/exchange/messages',
      'https://203.162.10.5/x',
      'https://[2001:ee0:4141::1]/x',
      'https://[::ffff:203.162.10.5]/x',
      'https://edoc.mic.gov.vn./x',
    ];
    expect(outward.filter((u) => internalNameProblem(hostOf(u)) !== null)).toEqual([]);
  });

  it('finds the IPv4 address an IPv6 address carries', () => {
    expect(embeddedIpv4('::ffff:7f00:1')).toBe('127.0.0.1');
    expect(embeddedIpv4('::127.0.0.1')).toBe('127.0.0.1');
    expect(embeddedIpv4('64:ff9b::10.0.0.1')).toBe('10.0.0.1');
    expect(embeddedIpv4('2002:a9fe:a9fe::')).toBe('169.254.169.254');
    expect(embeddedIpv4('2001:ee0:4141::1')).toBeNull();
    expect(internalAddressProblem('fe80::1%eth0')).not.toBeNull();
    expect(internalAddressProblem('not-an-address')).not.toBeNull();
  });

  it('refuses a name when any address it resolves to is inward, and resolves public names', async () => {
    const dns: Record<string, string[]> = {
      'peer.example.gov.vn': ['203.162.10.5'],
      'mixed.example.gov.vn': ['203.162.10.5', '10.0.0.7'],
      'six.example.gov.vn': ['::ffff:127.0.0.1'],
    };
    const lookup: HostLookup = async (h) => (dns[h] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    await expect(publicAddressesOf('peer.example.gov.vn.', lookup)).resolves.toEqual([{ address: '203.162.10.5', family: 4 }]);
    await expect(publicAddressesOf('mixed.example.gov.vn', lookup)).rejects.toBeInstanceOf(InternalPeerAddress);
    await expect(publicAddressesOf('six.example.gov.vn', lookup)).rejects.toBeInstanceOf(InternalPeerAddress);
    await expect(publicAddressesOf('nowhere.example.gov.vn', lookup)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('hands the connection only the address it checked, once', async () => {
    let answers = 0;
    // A rebinding resolver: public to the first question, loopback to every later one.
    const lookup: HostLookup = async () => [{ address: answers++ === 0 ? '203.162.10.5' : '127.0.0.1', family: 4 }];
    const guarded = checkedLookup(lookup, false);
    const first = await new Promise<unknown>((resolve) => guarded('peer.example.gov.vn', { all: true }, (err, address) => resolve(err ?? address)));
    expect(first).toEqual([{ address: '203.162.10.5', family: 4 }]);
    const second = await new Promise<unknown>((resolve) => guarded('peer.example.gov.vn', {}, (err, address) => resolve(err ?? address)));
    expect(second).toBeInstanceOf(InternalPeerAddress);
    // Outside production the same resolver is only asked.
    const open = checkedLookup(lookup, true);
    expect(await new Promise<unknown>((resolve) => open('peer.example.gov.vn', {}, (err, address) => resolve(err ?? address)))).toBe('127.0.0.1');
  });
});
