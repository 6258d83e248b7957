import { formatCheckpoint, parseCheckpoint } from '../../src/audit/checkpoint-line';

const KEY = 'k'.repeat(64);
const cp = {
  at: '2026-11-26T01:30:00.000Z',
  table: 'routing_event',
  chain: '0b7c6f1e-0000-4000-8000-000000000001',
  count: '3',
  lastId: '17',
  hash: 'a'.repeat(64),
};

describe('checkpoint lines', () => {
  it('read back what was written under the same key', () => {
    expect(parseCheckpoint(formatCheckpoint(cp, KEY), KEY)).toEqual({ checkpoint: cp });
  });

  it('refuse a line with any field changed, or signed with another key', () => {
    const line = formatCheckpoint(cp, KEY);
    expect(parseCheckpoint(line.replace('\t3\t', '\t2\t'), KEY)).toEqual({ problem: expect.stringMatching(/signature/) });
    expect(parseCheckpoint(line.replace('a'.repeat(64), 'b'.repeat(64)), KEY)).toEqual({ problem: expect.stringMatching(/signature/) });
    expect(parseCheckpoint(line, 'x'.repeat(64))).toEqual({ problem: expect.stringMatching(/signature/) });
    expect(parseCheckpoint('v1\tnot enough\n', KEY)).toEqual({ problem: expect.stringMatching(/not a checkpoint line/) });
    expect(parseCheckpoint('\n', KEY)).toBeNull();
  });
});
