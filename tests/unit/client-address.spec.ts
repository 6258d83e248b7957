import { clientAddress } from '../../src/client-address';

describe('the client address of a WebSocket upgrade', () => {
  it('believes X-Forwarded-For only from a proxy on the same host', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.5')).toBe('203.0.113.5');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.1, 203.0.113.5')).toBe('203.0.113.5');
    expect(clientAddress('::1', '203.0.113.5, 127.0.0.1')).toBe('203.0.113.5');
    expect(clientAddress('198.51.100.9', '203.0.113.5')).toBe('198.51.100.9');
    expect(clientAddress('127.0.0.1', undefined)).toBe('127.0.0.1');
    expect(clientAddress(undefined, '203.0.113.5')).toBe('unknown');
  });
});
