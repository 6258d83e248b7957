import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CorrespondentNodeDocument, CreatePeerDocument, ExchangeOutboxDocument, UpdatePeerDocument } from '../generated/graphql';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { eventually } from '../helpers/exchange';
import { draft, issue, toSigned, type Desk } from '../helpers/outgoing';
import type { HostLookup } from '../../src/exchange/peer-address';

/**
 * Issue 15, item 6: with the production rule on (EXCHANGE_ALLOW_INTERNAL_PEERS=0, what NODE_ENV=production
 * always has), an endpoint that leads back into the server's host or network is refused when it is set,
 * and again when the sender connects, after resolving the name, to the address it then connects to.
 */

let env: TestEnv;
let desk: Desk;
let inside: http.Server;
let insideHits = 0;
/** What the resolver the server is given answers, per name; the test changes it as a rebinding DNS would. */
const dns: Record<string, string[]> = {};
const lookup: HostLookup = async (hostname) => {
  const addresses = dns[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

beforeAll(async () => {
  // A service on the server's own loopback that a peer endpoint must never reach.
  inside = http.createServer((req, res) => {
    insideHits++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ACCEPTED"}');
  });
  await new Promise<void>((r) => inside.listen(0, '127.0.0.1', r));
  env = await startTestEnv({
    env: {
      EXCHANGE_ALLOW_INTERNAL_PEERS: '0',
      EXCHANGE_POLL_MS: '100',
      EXCHANGE_RETRY_BASE_MS: '200',
      EXCHANGE_RETRY_MAX_MS: '800',
      EXCHANGE_TIMEOUT_MS: '3000',
    },
    lookup,
  });
  const [staff, head, director, clerk] = await Promise.all([env.as(DEMO.staff), env.as(DEMO.head), env.as(DEMO.director), env.as(DEMO.clerk)]);
  desk = { staff, head, director, clerk };
}, 120_000);

afterAll(async () => {
  await env?.close();
  await new Promise((r) => inside?.close(r));
});

const secret = () => randomBytes(32).toString('hex');

describe('peer endpoints that reach the server itself (issue 15, item 6)', () => {
  it('are refused when set, in every spelling and through names that resolve inward, and nothing changes', async () => {
    const port = (inside.address() as AddressInfo).port;
    dns['peer.phuyen.gov.vn'] = ['203.162.10.5'];
    dns['inward.example.gov.vn'] = ['10.0.0.5'];
    dns['mapped.example.gov.vn'] = ['::ffff:127.0.0.1'];
    dns['mixed.example.gov.vn'] = ['203.162.10.6', '169.254.169.254'];
    const peer = (
      await desk.clerk.ok(CreatePeerDocument, {
        input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: '000.00.00.H41', endpoint: 'https://peer.phuyen.gov.vn/exchange/messages', secret: secret() },
      })
    ).createCorrespondent;
    const before = await env.sql(`select * from correspondent order by id`);
    const attempts = [
      `https://localhost.:${port}/exchange/messages`,
      `https://LocalHost:${port}/x`,
      'https://[::127.0.0.1]/x',
      'https://[::ffff:7f00:1]/x',
      'https://[::1]/x',
      'https://[fe80::1]/x',
      `http://127.0.0.1:${port}/x`,
      'https://2130706433/x',
      'https://0x7f.0.0.1/x',
      'https://0177.0.0.1/x',
      'https://0.0.0.0/x',
      'https://169.254.169.254/latest/meta-data',
      'https://192.168.1.1/x',
      'https://intranet/x',
      'https://inward.example.gov.vn/x',
      'https://mapped.example.gov.vn/x',
      'https://mixed.example.gov.vn./x',
    ];
    const accepted: string[] = [];
    for (const endpoint of attempts) {
      const r = await desk.clerk.request(UpdatePeerDocument, { id: peer.id, input: { endpoint } });
      if (r.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') accepted.push(endpoint);
      const created = await desk.clerk.request(CreatePeerDocument, {
        input: { name: `Thử ${endpoint}`, organId: '000.00.00.H39', endpoint, secret: secret() },
      });
      if (created.errors?.[0]?.extensions?.code !== 'BAD_USER_INPUT') accepted.push(`create ${endpoint}`);
    }
    expect(accepted).toEqual([]);
    expect(await env.sql(`select * from correspondent order by id`)).toEqual(before);
    expect((await desk.clerk.ok(CorrespondentNodeDocument, { id: peer.id })).node).toMatchObject({ endpoint: 'https://peer.phuyen.gov.vn/exchange/messages' });
    expect(insideHits).toBe(0);
  });

  it('are refused again when connecting: a name that resolved outward when set and inward later is never connected to', async () => {
    const port = (inside.address() as AddressInfo).port;
    dns['rebind.example.gov.vn'] = ['203.162.10.7'];
    const peer = (
      await desk.clerk.ok(CreatePeerDocument, {
        input: {
          name: 'Sở Xây dựng tỉnh Gia Lai',
          organId: '000.00.00.H39',
          endpoint: `http://rebind.example.gov.vn:${port}/exchange/messages`,
          secret: secret(),
        },
      })
    ).createCorrespondent;
    // The name now answers the server's own loopback, where a service listens.
    dns['rebind.example.gov.vn'] = ['127.0.0.1'];
    const d = await draft(env, desk.staff, { subject: 'V/v gửi đến máy chủ đã đổi địa chỉ', recipientCorrespondentIds: [peer.id] });
    await toSigned(desk, d.id);
    await issue(env, desk.clerk, d.id);
    const failed = await eventually(
      async () =>
        (await desk.clerk.ok(ExchangeOutboxDocument, { first: 100 })).exchangeOutbox.edges
          .map((e) => e.node)
          .find((m) => m.correspondent.id === peer.id && m.attempts >= 2 && m.state === 'FAILED'),
      30_000,
      'the package tried and failed twice',
    );
    expect(failed.lastError).toMatch(/not public/);
    expect(insideHits).toBe(0);
    const rows = await env.sql<{ state: string }>(`select state from exchange_message where correspondent_id = $1`, [
      Buffer.from(peer.id, 'base64url').toString().split(':')[1],
    ]);
    expect(rows.map((r) => r.state)).not.toContain('ACKNOWLEDGED');
  }, 90_000);
});
