import { AddPermissionRuleDocument, RegisterDocumentDocument } from '../generated/graphql';
import { describeInBrowser, launchBrowser, screenshot, type TestBrowser } from '../helpers/browser';
import { receive } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, DEMO_PASSWORD, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

const WAIT = { timeout: 60_000 };

describeInBrowser('the live console in Chromium', () => {
  let env: TestEnv;
  let chrome: TestBrowser;
  let origin: string;
  /** The same clerk, signed in elsewhere: the "other client" whose mutations the console must show. */
  let otherClerk: ApiClient;

  beforeAll(async () => {
    env = await startTestEnv();
    origin = new URL(env.server.url).origin;
    otherClerk = await env.as(DEMO.clerk);
    chrome = await launchBrowser();
  });
  afterAll(async () => {
    await chrome?.close();
    await env?.close();
  });

  it('signs in, shows a count change and an event caused by another client, resumes after a reload, and shows an administrator the accounts and rules', async () => {
    const { context, outside } = await chrome.offlineContext(origin);
    const { page, errors } = await chrome.page(context);
    try {
      await page.goto(origin + '/console');
      await page.fill('#username', DEMO.clerk);
      await page.fill('#password', DEMO_PASSWORD);
      await page.click('#signin-form button[type=submit]');
      await page.locator('#me', { hasText: DEMO.clerk }).waitFor(WAIT);
      await page.locator('#live-state', { hasText: /^live$/ }).waitFor(WAIT);
      const count = page.locator('#count-TO_REGISTER b');
      await count.waitFor(WAIT);
      const before = Number(await count.textContent());

      // Another client receives a letter: the clerk's TO_REGISTER count and the event list follow by themselves.
      const doc = await receive(env, otherClerk, { subject: 'V/v góp ý dự thảo quy hoạch chung đô thị Quy Nhơn' });
      await page.locator('#count-TO_REGISTER b', { hasText: new RegExp(`^${before + 1}$`) }).waitFor(WAIT);
      await page.locator(`#events tr[data-document-id="${doc.id}"][data-type="RECEIVED"]`).waitFor(WAIT);
      await page.locator('#count-TO_REGISTER.changed').waitFor(WAIT);
      await screenshot(page, 'console-live');

      // Away from the page while the letter is registered; back, it replays from its last cursor: the
      // event it missed arrives, the one it had already shown does not come again.
      await page.goto('about:blank');
      await otherClerk.ok(RegisterDocumentDocument, { id: doc.id });
      await page.goto(origin + '/console');
      await page.locator(`#events tr[data-document-id="${doc.id}"][data-type="REGISTERED"]`).waitFor(WAIT);
      await page.locator('#count-TO_REGISTER b', { hasText: new RegExp(`^${before}$`) }).waitFor(WAIT);
      expect(await page.locator(`#events tr[data-document-id="${doc.id}"][data-type="RECEIVED"]`).count()).toBe(0);
      expect(await page.locator('#resume-from').textContent()).toMatch(/\d/);
      await screenshot(page, 'console-resumed');

      // An administrator: the accounts and the rules in force, one of them just added by another administrator.
      const admin = await env.as(ADMIN_USERNAME);
      const reason = 'Thử nghiệm bảng điều khiển: nhân viên đọc văn bản đến của đơn vị';
      await admin.ok(AddPermissionRuleDocument, {
        input: { role: 'STAFF', action: 'read', subject: 'IncomingDocument', condition: 'OWN_KEEPING_UNIT', reason },
      });
      await page.click('#signout');
      await page.locator('#signin-form').waitFor(WAIT);
      await page.fill('#username', DEMO.sysadmin);
      await page.fill('#password', DEMO_PASSWORD);
      await page.click('#signin-form button[type=submit]');
      await page.locator('#accounts tbody tr', { hasText: DEMO.clerk }).waitFor(WAIT);
      await page.locator('#rules tbody tr', { hasText: reason }).waitFor(WAIT);
      await page.locator('#role-rules tbody tr').first().waitFor(WAIT);
      expect(await page.locator('#accounts tbody tr').count()).toBeGreaterThanOrEqual(10);
      await screenshot(page, 'console-admin');

      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
    } catch (err) {
      await screenshot(page, 'console-failure').catch(() => undefined);
      throw err;
    } finally {
      await context.close();
    }
  });
});
