import { isLocalOrigin, originAllowed } from '../../src/cors-origins';

const dev = { nodeEnv: 'development' as const, corsOrigins: ['https://vpdt.sxd.binhdinh.gov.vn'] };
const test = { ...dev, nodeEnv: 'test' as const };
const prod = { ...dev, nodeEnv: 'production' as const };

describe('origins a browser page may call from', () => {
  it.each(['http://localhost:5173', 'http://localhost', 'https://localhost:8443', 'http://127.0.0.1:3000', 'http://[::1]:5173'])('%s is local', (o) => {
    expect(isLocalOrigin(o)).toBe(true);
  });

  it.each([
    'http://localhost.evil.example',
    'http://127.0.0.2:5173',
    'http://10.0.0.5:5173',
    'http://example.com',
    'file://localhost',
    'null',
    'ws://localhost:5173',
    'http://localhost:5173/path',
    'http://user@localhost:5173',
    'http://[::ffff:127.0.0.1]:5173',
  ])('%s is not local', (o) => {
    expect(isLocalOrigin(o)).toBe(false);
  });

  it('outside production allows local pages and the configured origins, and nothing else', () => {
    for (const c of [dev, test]) {
      expect(originAllowed('http://localhost:5173', c)).toBe(true);
      expect(originAllowed('http://127.0.0.1:8080', c)).toBe(true);
      expect(originAllowed('http://[::1]:5173', c)).toBe(true);
      expect(originAllowed('https://vpdt.sxd.binhdinh.gov.vn', c)).toBe(true);
      expect(originAllowed('https://evil.example', c)).toBe(false);
    }
  });

  it('in production allows only CORS_ORIGINS', () => {
    expect(originAllowed('https://vpdt.sxd.binhdinh.gov.vn', prod)).toBe(true);
    expect(originAllowed('http://localhost:5173', prod)).toBe(false);
    expect(originAllowed('http://127.0.0.1:5173', prod)).toBe(false);
    expect(originAllowed('http://[::1]:5173', prod)).toBe(false);
    expect(originAllowed('https://evil.example', prod)).toBe(false);
  });

  it('a request without an Origin is not a browser page and passes everywhere', () => {
    expect(originAllowed(undefined, prod)).toBe(true);
    expect(originAllowed('', dev)).toBe(true);
  });
});
