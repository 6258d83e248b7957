import WebSocket from 'ws';
import { startTestEnv, type TestEnv } from '../helpers/env';

// Issue 20, item 3: a frontend on a developer's machine (http://localhost:5173) can call the API and
// open a socket without configuration outside production; in production only CORS_ORIGINS may.

let dev: TestEnv;
let prod: TestEnv;

beforeAll(async () => {
  dev = await startTestEnv({ demo: false, env: { NODE_ENV: 'development' } });
  prod = await startTestEnv({ demo: false, env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://vpdt.sxd.binhdinh.gov.vn' } });
});
afterAll(async () => {
  await dev?.close();
  await prod?.close();
});

function preflight(env: TestEnv, origin: string): Promise<Response> {
  return fetch(env.server.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });
}

/** Opens a WebSocket with the given Origin: 'open', or the HTTP status the upgrade was refused with. */
function socketWithOrigin(env: TestEnv, origin: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(env.server.wsUrl.replace('localhost', '127.0.0.1'), 'graphql-transport-ws', { origin });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}

describe('CORS for development', () => {
  it.each(['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:5173'])(
    'a development server answers the preflight of %s with the CORS headers',
    async (origin) => {
      const res = await preflight(dev, origin);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    },
  );

  it('a development server answers a local page’s POST with the allow-origin header', async () => {
    const res = await fetch(dev.server.url, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('a development server still refuses a page from elsewhere', async () => {
    const res = await preflight(dev, 'https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a production server refuses a local page and allows only CORS_ORIGINS', async () => {
    const local = await preflight(prod, 'http://localhost:5173');
    expect(local.headers.get('access-control-allow-origin')).toBeNull();
    const listed = await preflight(prod, 'https://vpdt.sxd.binhdinh.gov.vn');
    expect(listed.status).toBe(204);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://vpdt.sxd.binhdinh.gov.vn');
  });

  it('the WebSocket Origin follows the same rule', async () => {
    expect(await socketWithOrigin(dev, 'http://localhost:5173')).toBe('open');
    expect(await socketWithOrigin(dev, 'http://[::1]:5173')).toBe('open');
    expect(await socketWithOrigin(dev, 'https://evil.example')).toBe(401);
    expect(await socketWithOrigin(prod, 'http://localhost:5173')).toBe(401);
    expect(await socketWithOrigin(prod, 'https://vpdt.sxd.binhdinh.gov.vn')).toBe('open');
  });
});
