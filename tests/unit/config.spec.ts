import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const dir = () => mkdtempSync(path.join(os.tmpdir(), 'vpdt-config-'));

describe('configuration', () => {
  it('never lets peers sit on internal addresses in production; outside it they may unless turned off', () => {
    const cwd = dir();
    expect(loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(32) }, cwd).exchange.allowInternalPeers).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(32), EXCHANGE_ALLOW_INTERNAL_PEERS: '0' }, cwd).exchange.allowInternalPeers).toBe(
      false,
    );
    expect(loadConfig({}, cwd).exchange.allowInternalPeers).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', EXCHANGE_ALLOW_INTERNAL_PEERS: '0' }, cwd).exchange.allowInternalPeers).toBe(false);
  });

  it('serves the IDE and the console outside production; in production only when asked', () => {
    const cwd = dir();
    const prod = { NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}, cwd).web).toEqual({ ide: true, console: true });
    expect(loadConfig({ NODE_ENV: 'test' }, cwd).web).toEqual({ ide: true, console: true });
    expect(loadConfig(prod, cwd).web).toEqual({ ide: false, console: false });
    expect(loadConfig({ ...prod, IDE_ENABLED: '1' }, cwd).web).toEqual({ ide: true, console: false });
    expect(loadConfig({ ...prod, CONSOLE_ENABLED: 'yes' }, cwd).web).toEqual({ ide: false, console: true });
    expect(loadConfig({ IDE_ENABLED: '0', CONSOLE_ENABLED: 'off' }, cwd).web).toEqual({ ide: false, console: false });
    expect(() => loadConfig({ IDE_ENABLED: 'sometimes' }, cwd)).toThrow(/IDE_ENABLED/);
  });

  it('has working defaults outside production, generating and keeping a token secret', () => {
    const cwd = dir();
    const a = loadConfig({}, cwd);
    expect(a).toMatchObject({ port: 4000, officeTimeZone: 'Asia/Ho_Chi_Minh', nodeEnv: 'development', databaseUrl: undefined, corsOrigins: [] });
    expect(a.tokenSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(cwd, '.data', 'token-secret'), 'utf8').trim()).toBe(a.tokenSecret);
    expect(loadConfig({}, cwd).tokenSecret).toBe(a.tokenSecret);
    expect(a.uploadDir).toBe(path.join(cwd, '.data', 'files'));
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '12a' }, 'PORT'],
    [{ DATABASE_URL: 'http://x/y' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://x:5432' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }, 'TOKEN_SECRET'],
    [{ TOKEN_SECRET: 'short' }, 'TOKEN_SECRET'],
    [{ ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'long-enough-1' }, 'ADMIN_USERNAME'],
    [{ ADMIN_USERNAME: 'admin@x.vn' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_USERNAME: 'admin@x.vn', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ CORS_ORIGINS: 'https://ok.vn,ftp://bad' }, 'CORS_ORIGINS'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(32), EXCHANGE_ALLOW_INTERNAL_PEERS: '1' }, 'EXCHANGE_ALLOW_INTERNAL_PEERS'],
    [{ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(40), DEMO_DATA: '1' }, 'DEMO_DATA'],
    [{ OFFICE_TZ: 'Nowhere/City' }, 'OFFICE_TZ'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ AUDIT_KEY: 'short' }, 'AUDIT_KEY'],
    [{ AUDIT_CHECKPOINT_SECONDS: '-1' }, 'AUDIT_CHECKPOINT_SECONDS'],
    [{ LOGIN_MAX_WAIT_MS: '999999' }, 'LOGIN_MAX_WAIT_MS'],
  ])('refuses %j naming %s', (env, variable) => {
    try {
      loadConfig(env, dir());
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).variable).toBe(variable);
    }
  });

  it('never loads demo data in production', () => {
    expect(loadConfig({ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(40) }, dir()).demoData).toBe(false);
  });

  it('reads the lists and numbers it is given', () => {
    const c = loadConfig(
      { CORS_ORIGINS: 'https://a.gov.vn, http://localhost:3000/', PORT: '0', OFFICE_TZ: 'UTC', ADMIN_USERNAME: 'Admin@X.vn', ADMIN_PASSWORD: 'long-enough-1' },
      dir(),
    );
    expect(c.corsOrigins).toEqual(['https://a.gov.vn', 'http://localhost:3000']);
    expect(c.port).toBe(0);
    expect(c.adminUsername).toBe('admin@x.vn');
  });

  it('signs history checkpoints with AUDIT_KEY, or a key derived from TOKEN_SECRET that is not the secret itself', () => {
    const cwd = dir();
    const derived = loadConfig({ TOKEN_SECRET: 't'.repeat(40) }, cwd).audit;
    expect(derived).toMatchObject({ checkpointFile: path.join(cwd, '.data', 'audit', 'checkpoints.log'), checkpointSeconds: 60 });
    expect(derived.key).not.toContain('t'.repeat(40));
    expect(loadConfig({ TOKEN_SECRET: 'u'.repeat(40) }, cwd).audit.key).not.toBe(derived.key);
    expect(loadConfig({ TOKEN_SECRET: 'u'.repeat(40), AUDIT_KEY: 'k'.repeat(40), AUDIT_CHECKPOINT_FILE: '/var/log/vpdt/cp.log' }, cwd).audit).toMatchObject({
      key: 'k'.repeat(40),
      checkpointFile: '/var/log/vpdt/cp.log',
    });
  });
});

describe('WORKERS', () => {
  it('is one process by default, a whole number of processes when given, and refused in one line otherwise', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).workers).toBe(1);
    expect(loadConfig({ WORKERS: '2' }, cwd).workers).toBe(2);
    for (const bad of ['0', 'two', '1.5', '-1', '33']) {
      expect(() => loadConfig({ WORKERS: bad }, cwd)).toThrow(ConfigError);
      expect(() => loadConfig({ WORKERS: bad }, cwd)).toThrow(/^WORKERS: must be/);
    }
  });
});

describe('DB_POOL_MAX and ANSWER_IN_SQL', () => {
  it('a pool of 10 by default, a whole number from 2 to 500 when given, refused in one line otherwise', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).dbPoolMax).toBe(10);
    expect(loadConfig({ DB_POOL_MAX: '40' }, cwd).dbPoolMax).toBe(40);
    for (const bad of ['1', 'many', '2.5', '501']) expect(() => loadConfig({ DB_POOL_MAX: bad }, cwd)).toThrow(/^DB_POOL_MAX: must be/);
  });

  it('answers in SQL by default, and not when turned off', () => {
    const cwd = dir();
    expect(loadConfig({}, cwd).answerInSql).toBe(true);
    expect(loadConfig({ ANSWER_IN_SQL: 'false' }, cwd).answerInSql).toBe(false);
    expect(() => loadConfig({ ANSWER_IN_SQL: 'perhaps' }, cwd)).toThrow(ConfigError);
  });
});
