import { postgresFailure } from '../../src/db/embedded';
import { oneLine } from '../../src/errors/one-line';

describe('oneLine: any thrown value as one readable line', () => {
  it('names the absence of a reason instead of printing "undefined"', () => {
    expect(oneLine(undefined)).not.toMatch(/^undefined$/);
    expect(oneLine(undefined)).toContain('no reason was given');
    expect(oneLine(null)).toContain('no reason was given');
  });

  it('joins a message over several lines into one', () => {
    expect(oneLine(new Error('Postgres init script failed\nERROR OUTPUT: initdb: error:\n  directory exists'))).toBe(
      'Postgres init script failed ERROR OUTPUT: initdb: error: directory exists',
    );
  });

  it('reads an AggregateError with no message from its inner errors', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const e = Object.assign(new AggregateError([refused('::1:5432'), refused('127.0.0.1:5432')], ''), { code: 'ECONNREFUSED' });
    expect(oneLine(e)).toBe('connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('takes strings, codes, plain objects and causes', () => {
    expect(oneLine('lock file exists')).toBe('lock file exists');
    expect(oneLine(Object.assign(new Error(''), { code: 'EADDRINUSE' }))).toBe('EADDRINUSE');
    expect(oneLine({ reason: 'x' })).toBe('{"reason":"x"}');
    expect(oneLine(new Error('could not open the database', { cause: new Error('password authentication failed') }))).toBe(
      'could not open the database: password authentication failed',
    );
  });

  it('stays short', () => {
    expect(oneLine(new Error('x'.repeat(5000))).length).toBeLessThanOrEqual(600);
  });
});

describe('postgresFailure: why PostgreSQL did not start, from its output', () => {
  it('keeps the FATAL and HINT lines, without their log prefixes', () => {
    const output = [
      '2026-12-01 10:00:00.123 UTC [4242] FATAL:  lock file "postmaster.pid" already exists',
      '2026-12-01 10:00:00.123 UTC [4242] HINT:  Is another postmaster (PID 1234) running in data directory "/data/pg"?',
      '',
    ].join('\n');
    expect(postgresFailure(output, 'exit code 1')).toBe(
      'PostgreSQL did not start (exit code 1): FATAL: lock file "postmaster.pid" already exists HINT: Is another postmaster (PID 1234) running in data directory "/data/pg"?',
    );
  });

  it('falls back to the last lines, and says when there were none', () => {
    expect(
      postgresFailure('postgres: could not access the server configuration file "/d/postgresql.conf": No such file or directory\n', 'exit code 2'),
    ).toContain('postgresql.conf');
    expect(postgresFailure('', 'signal SIGKILL')).toMatch(/^PostgreSQL did not start \(signal SIGKILL\) and said nothing/);
  });
});
