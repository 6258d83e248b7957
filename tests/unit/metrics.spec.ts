import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { BoundedLabel, MAX_OPERATION_NAMES, OPERATION_NAME, metricsAccess, operationNameLabel, routeLabel } from '../../src/metrics';

describe('metrics labels', () => {
  it('keeps client-chosen operation names only in the accepted form, and at most so many of them', () => {
    const names = new BoundedLabel(3, OPERATION_NAME);
    expect(operationNameLabel(names, undefined)).toBe('anonymous');
    expect(operationNameLabel(names, 'Me')).toBe('Me');
    expect(operationNameLabel(names, 'x'.repeat(65))).toBe('invalid');
    expect(operationNameLabel(names, 'drop table"} 1\n')).toBe('invalid');
    expect(operationNameLabel(names, '9lives')).toBe('invalid');
    expect(operationNameLabel(names, 'Inbox')).toBe('Inbox');
    expect(operationNameLabel(names, 'Login')).toBe('Login');
    // Full: new names are "other", known ones stay themselves.
    expect(operationNameLabel(names, 'Flood1')).toBe('other');
    expect(operationNameLabel(names, 'Me')).toBe('Me');
  });

  it('lets a flood of made-up names add no more than the cap of label values', () => {
    const names = new BoundedLabel(MAX_OPERATION_NAMES, OPERATION_NAME);
    const seen = new Set<string>();
    for (let i = 0; i < 10 * MAX_OPERATION_NAMES; i++) seen.add(operationNameLabel(names, `Op${i}`));
    expect(seen.size).toBe(MAX_OPERATION_NAMES + 1);
    expect(seen.has('other')).toBe(true);
  });

  it('labels HTTP requests by the server’s own path prefixes only', () => {
    expect(routeLabel('/graphql')).toBe('/graphql');
    expect(routeLabel('/files/abc')).toBe('/files');
    expect(routeLabel('/exchange/messages')).toBe('/exchange');
    expect(routeLabel('/metrics')).toBe('/metrics');
    expect(routeLabel('/graphqlx')).toBe('other');
    expect(routeLabel('/wp-admin/setup.php')).toBe('other');
  });
});

describe('who may read /metrics', () => {
  const token = 'a-metrics-token-of-some-length';
  it('asks for the bearer token when one is configured, in production or not', () => {
    for (const production of [true, false]) {
      expect(metricsAccess(token, production, `Bearer ${token}`)).toBe('allow');
      expect(metricsAccess(token, production, `bearer ${token}`)).toBe('allow');
      expect(metricsAccess(token, production, undefined)).toBe('unauthorised');
      expect(metricsAccess(token, production, `Bearer ${token.slice(1)}`)).toBe('unauthorised');
      expect(metricsAccess(token, production, `Basic ${token}`)).toBe('unauthorised');
    }
  });

  it('is open outside production and off in production when no token is configured', () => {
    expect(metricsAccess(undefined, false, undefined)).toBe('allow');
    expect(metricsAccess(undefined, true, undefined)).toBe('off');
    expect(metricsAccess(undefined, true, 'Bearer anything')).toBe('off');
  });

  it('takes METRICS_TOKEN from the configuration and refuses a short one', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'vpdt-config-'));
    expect(loadConfig({ METRICS_TOKEN: token }, cwd).metricsToken).toBe(token);
    expect(loadConfig({}, cwd).metricsToken).toBeUndefined();
    expect(() => loadConfig({ METRICS_TOKEN: 'short' }, cwd)).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'has a space in it somewhere' }, cwd)).toThrow(/METRICS_TOKEN/);
  });
});
