import { bearerToken, signToken, verifyToken } from '../../src/services/tokens';

const SECRET = 'x'.repeat(40);

describe('session tokens', () => {
  it('verify with the same secret before expiry only', () => {
    const t = signToken({ sid: 's1', exp: 1000 }, SECRET);
    expect(verifyToken(t, SECRET, 999)).toEqual({ sid: 's1', exp: 1000 });
    expect(verifyToken(t, SECRET, 1000)).toBeNull();
    expect(verifyToken(t, 'y'.repeat(40), 999)).toBeNull();
  });

  it('refuse tampered claims', () => {
    const t = signToken({ sid: 's1', exp: 1000 }, SECRET);
    const [v, , mac] = t.split('.');
    const forged = `${v}.${Buffer.from(JSON.stringify({ sid: 's2', exp: 1000 })).toString('base64url')}.${mac}`;
    expect(verifyToken(forged, SECRET, 1)).toBeNull();
    expect(verifyToken('garbage', SECRET, 1)).toBeNull();
  });

  it('reads bearer headers', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
