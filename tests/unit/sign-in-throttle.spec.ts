import { slowdownStepMs, throttleAddress } from '../../src/domain/accounts/sign-in-throttle';

describe('the address the sign-in throttle counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:127.0.0.1', '127.0.0.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['unknown', 'unknown'],
  ])('%s counts as %s', (given, expected) => expect(throttleAddress(given)).toBe(expected));

  it('gives every address of one /64 the same count, and another /64 its own', () => {
    const a = throttleAddress('2001:db8:aa:bb::1');
    expect(throttleAddress('2001:db8:aa:bb:1234:5678:9abc:def0')).toBe(a);
    expect(throttleAddress('2001:db8:aa:bc::1')).not.toBe(a);
  });

  it('keeps something that is no address short', () => {
    expect(throttleAddress('x'.repeat(500))).toHaveLength(64);
  });
});

describe('the slow-down between attempts on one account', () => {
  it('is nothing below the threshold, then doubles from the base up to the cap', () => {
    expect(slowdownStepMs(9, 10, 1000, 60_000)).toBe(0);
    expect(slowdownStepMs(10, 10, 1000, 60_000)).toBe(1000);
    expect(slowdownStepMs(11, 10, 1000, 60_000)).toBe(2000);
    expect(slowdownStepMs(15, 10, 1000, 60_000)).toBe(32_000);
    expect(slowdownStepMs(16, 10, 1000, 60_000)).toBe(60_000);
    expect(slowdownStepMs(100_000, 10, 1000, 60_000)).toBe(60_000);
  });
});
