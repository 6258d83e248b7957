import WebSocket from 'ws';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { describeInBrowser, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser';

let env: TestEnv;
let origin: string;

beforeAll(async () => {
  env = await startTestEnv();
  origin = new URL(env.server.url).origin;
});
afterAll(() => env?.close());

const PAGES = ['/ide', '/console'];

/** The src and href of every element of a page. */
function references(html: string): string[] {
  return [...html.matchAll(/\s(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]);
}

/** Addresses that a script or a style sheet would load from: url(...), @import, import(), workers, fetch. */
function loads(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/url\(\s*["']?([^"')\s]+)/gi)) found.push(m[1]);
  for (const m of text.matchAll(/@import\s+["']([^"']+)/gi)) found.push(m[1]);
  for (const m of text.matchAll(/(?:import|importScripts|Worker|SharedWorker|fetch|EventSource|WebSocket)\s*\(\s*["'`]([^"'`]+)/g)) found.push(m[1]);
  for (const m of text.matchAll(/\bfrom\s*["'](https?:\/\/[^"']+)/g)) found.push(m[1]);
  return found;
}

/** True for an address that leaves this server: another host, or a protocol-relative one. */
const outsideHost = (url: string) => /^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(url) && !url.startsWith(`${origin}/`);

describe('pages served to browsers', () => {
  it.each(PAGES)('%s and everything it references come from this server, under a policy that allows no other host', async (page) => {
    const res = await fetch(origin + page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    const refs = references(html);
    expect(refs.length).toBeGreaterThan(1);
    expect(refs.filter(outsideHost)).toEqual([]);
    for (const ref of refs.filter((r) => r.startsWith('/assets/'))) {
      const asset = await fetch(origin + ref);
      expect([ref, asset.status]).toEqual([ref, 200]);
      const text = await asset.text();
      expect([ref, loads(text).filter(outsideHost)]).toEqual([ref, []]);
      // The project's own scripts and styles name no address at all.
      if (/^\/assets\/(ide|console|pages)\./.test(ref)) expect([ref, text.match(/https?:\/\/[^\s'"]+/g)]).toEqual([ref, null]);
    }
  });

  it("a browser opening the API's address is sent to the IDE; Apollo's CDN landing page is never served", async () => {
    const res = await fetch(env.server.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/ide');
    // A GraphQL client's GET is still the API's.
    const api = await fetch(`${env.server.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': '1' },
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    const ide = await (await fetch(origin + '/ide')).text();
    expect(ide).not.toMatch(/apollo|cdn\./i);
  });

  it("the server's own pages may open a WebSocket; a page of another origin may not", async () => {
    const opens = (o: string) =>
      new Promise<boolean>((resolve) => {
        const socket = new WebSocket(env.server.wsUrl, 'graphql-transport-ws', { origin: o });
        socket.on('open', () => {
          socket.close();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
        socket.on('unexpected-response', () => resolve(false));
      });
    expect(await opens(origin)).toBe(true);
    // Outside production a local development page is allowed too (src/cors-origins.ts); another host is not.
    expect(await opens('http://localhost:1')).toBe(true);
    expect(await opens('http://localhost.vpdt.example:4000')).toBe(false);
    expect(await opens('https://vpdt.example.gov.vn')).toBe(false);
  });

  it('turned off, the IDE, the console and their files are not served, and no landing page replaces them', async () => {
    const off = await startTestEnv({ demo: false, env: { IDE_ENABLED: '0', CONSOLE_ENABLED: '0' } });
    try {
      const base = new URL(off.server.url).origin;
      for (const p of ['/ide', '/console', '/assets/graphiql.js', '/assets/console.js', '/assets/graphql-ws.js']) {
        expect([p, (await fetch(base + p)).status]).toEqual([p, 404]);
      }
      const res = await fetch(off.server.url, { headers: { accept: 'text/html' }, redirect: 'manual' });
      expect(res.status).not.toBe(302);
      expect(await res.text()).not.toMatch(/<html|sandbox|cdn\./i);
    } finally {
      await off.close();
    }
  });
});

describeInBrowser('the IDE and the console in Chromium with the network cut off from everything but the server', () => {
  let chrome: TestBrowser;
  let token: string;
  beforeAll(async () => {
    chrome = await launchBrowser();
    token = (await env.as(DEMO.clerk)).token!;
  });
  afterAll(() => chrome?.close());

  it('GraphiQL loads, shows the schema’s docs, runs a query with the token and a subscription over graphql-ws', async () => {
    const { context, outside } = await chrome.offlineContext(origin);
    const { page, errors } = await chrome.page(context);
    try {
      await page.goto(origin + '/ide');
      await page.locator('.graphiql-container').waitFor({ timeout: 60_000 });
      await page.fill('#token', token);
      await page.dispatchEvent('#token', 'change');

      const run = async (query: string, expected: string) => {
        await page.evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(query)})`);
        await page.locator('.graphiql-execute-button').click();
        try {
          await page.locator('.graphiql-response', { hasText: expected }).waitFor({ timeout: 60_000 });
        } catch (err) {
          await screenshot(page, 'ide-failure');
          throw new Error(
            `GraphiQL showed no "${expected}" for ${query}: ${await page.locator('.graphiql-response').textContent()} (page errors: ${errors.join('; ')})`,
            { cause: err },
          );
        }
      };
      await run('{ me { username } }', DEMO.clerk);
      await run('subscription { inboxCountsChanged { TO_REGISTER } }', '"TO_REGISTER"');
      expect(env.server.liveConnections()).toBeGreaterThan(0);

      // The documentation explorer reads the schema through the same fetcher.
      await page.locator('button[aria-label="Show Documentation Explorer"]').click();
      try {
        await page
          .locator('.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
          .first()
          .click({ timeout: 60_000 });
        await page.locator('.graphiql-doc-explorer', { hasText: 'inboxCounts' }).getByText('inboxCounts', { exact: true }).first().waitFor({ timeout: 60_000 });
      } catch (err) {
        await screenshot(page, 'ide-failure');
        throw err;
      }
      await screenshot(page, 'ide');

      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the console loads, signs in and subscribes with no request to another host', async () => {
    const { context, outside } = await chrome.offlineContext(origin);
    const { page, errors } = await chrome.page(context);
    try {
      await page.goto(origin + '/console');
      await page.fill('#username', DEMO.director);
      await page.fill('#password', 'Demo@2026vpdt');
      await page.click('#signin-form button[type=submit]');
      await page.locator('#count-AWAITING_DIRECTION').waitFor({ timeout: 60_000 });
      await page.locator('#live-state', { hasText: /^live$/ }).waitFor({ timeout: 60_000 });
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
