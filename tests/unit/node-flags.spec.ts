import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVER_NODE_FLAGS, withServerFlags } from '../../src/node-flags';

describe('the server’s V8 options', () => {
  it('are those `npm start` runs the server with', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    const start = pkg.scripts.start.split(/\s+/);
    expect(start[0]).toBe('node');
    for (const flag of SERVER_NODE_FLAGS) expect(start).toContain(flag);
    expect(start[start.length - 1]).toBe('dist/src/main.js');
  });

  it('are added to a process’s own options, and an operator’s value of one of them is kept', () => {
    expect(withServerFlags([])).toEqual([...SERVER_NODE_FLAGS]);
    expect(withServerFlags(['--cpu-prof'])).toEqual(['--cpu-prof', ...SERVER_NODE_FLAGS]);
    expect(withServerFlags(['--max-semi-space-size=64'])).toEqual(['--max-semi-space-size=64']);
    expect(withServerFlags(['--max_semi_space_size=8'])).toEqual(['--max_semi_space_size=8']);
  });
});
