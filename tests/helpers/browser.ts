import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run when apt is there); CHROMIUM_PATH names another. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots and other things a person may want to look at after a run (git-ignored). */
export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

/**
 * `describe` when Chromium is installed; otherwise one skipped test whose name says why, and a
 * warning in the output, so a machine without a browser passes visibly without these tests.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, fn);
    return;
  }
  console.warn(`${name}: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  describe(name, () => {
    it.skip(`needs Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`, () => undefined);
  });
}

export interface TestBrowser {
  browser: Browser;
  /**
   * A fresh browser profile that can reach only `origin`: every other request (HTTP or WebSocket) is
   * refused and its address recorded in `outside`, and host names other than localhost do not resolve.
   */
  offlineContext(origin: string): Promise<{ context: BrowserContext; outside: string[] }>;
  /** A new page whose script errors are collected in `errors`. */
  page(context: BrowserContext): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

/** Headless Chromium with no background traffic of its own (updates, sync, safe browsing…). */
export async function launchBrowser(): Promise<TestBrowser> {
  // Playwright starts each launched browser on a new, empty profile of its own (--user-data-dir in a temporary folder).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Only the test server's host resolves: a page that tried to reach another host could not.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost',
    ],
    timeout: 120_000,
  });
  return {
    browser,
    async offlineContext(origin) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const outside: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (/^(data|blob):/.test(url) || new URL(url).origin === origin) return route.continue();
        outside.push(url);
        return route.abort('blockedbyclient');
      });
      const wsOrigin = origin.replace(/^http/, 'ws');
      await context.routeWebSocket(/.*/, (ws) => {
        if (new URL(ws.url()).origin === wsOrigin) ws.connectToServer();
        else {
          outside.push(ws.url());
          void ws.close();
        }
      });
      return { context, outside };
    },
    async page(context) {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      return { page, errors };
    },
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/** Saves a screenshot under tests/artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
