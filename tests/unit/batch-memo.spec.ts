import { BatchMemo } from '../../src/events/batch-memo';

describe('work shared by subscribers for one batch', () => {
  it('computes once per key, forgets failures, expires, and stays bounded', async () => {
    const memo = new BatchMemo(10, 50);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await Promise.all([memo.get('a', compute), memo.get('a', compute), memo.get('a', compute)])).toEqual([1, 1, 1]);
    expect(await memo.get('b', compute)).toBe(2);

    await expect(memo.get('x', async () => Promise.reject(new Error('lost connection')))).rejects.toThrow('lost connection');
    await new Promise((r) => setImmediate(r));
    expect(await memo.get('x', compute)).toBe(3);

    await new Promise((r) => setTimeout(r, 60));
    expect(await memo.get('a', compute)).toBe(4);

    for (let i = 0; i < 100; i++) await memo.get(`k${i}`, compute);
    expect(memo.size).toBeLessThanOrEqual(11);
  });
});
