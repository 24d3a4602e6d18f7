import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from './support/builders.js';
import { describeWhen } from './support/describe-when.js';
import { runCli } from './support/cli.js';
import { seedUser } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = 'test-output';

/**
 * An admin's path through Swagger UI in a real browser (Debian's Chromium, driven by playwright-core; no
 * browser is downloaded): Authorize with a token from `token:issue`, try GET /api/admin/users.
 * `.ci/run` installs Chromium when it is missing.
 */
describeWhen(existsSync(CHROMIUM), `needs Chromium at ${CHROMIUM} (apt-get install chromium)`)('Swagger UI in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let adminName: string;
  let adminToken: string;
  let userToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
    adminName = build.username('admin');
    const created = await runCli(['admin:create', '--identifier', build.email('admin'), '--username', adminName], t.env);
    expect(created.code).toBe(0);
    adminToken = (await runCli(['token:issue', '--username', adminName], t.env)).stdout.trim();
    const plain = await seedUser(t, build.email());
    userToken = (await runCli(['token:issue', '--username', plain.username!], t.env)).stdout.trim();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    mkdirSync(OUTPUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function tryListUsers(token: string, screenshot: string): Promise<{ status: string; body: string }> {
    const page: Page = await browser.newPage();
    try {
      await page.goto(`${baseUrl}/docs`);
      await page.locator('button.authorize').first().click();
      await page.locator('.modal-ux input[type=text]').fill(token);
      await page.locator('.modal-ux button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();
      await page.locator('#operations-admin-AdminController_listUsers .opblock-summary').click();
      await page.locator('#operations-admin-AdminController_listUsers button.try-out__btn').click();
      await page.locator('#operations-admin-AdminController_listUsers button.execute').click();
      const status = page.locator('#operations-admin-AdminController_listUsers .live-responses-table tbody .response-col_status').first();
      await status.waitFor({ timeout: 15_000 });
      const body = await page.locator('#operations-admin-AdminController_listUsers .live-responses-table tbody .response-col_description').first().innerText();
      await page.screenshot({ path: `${OUTPUT}/${screenshot}`, fullPage: true });
      return { status: (await status.innerText()).trim(), body };
    } finally {
      await page.close();
    }
  }

  it('an admin token from token:issue lists the users (200) through Authorize, Try it out, Execute', async () => {
    const { status, body } = await tryListUsers(adminToken, 'swagger-admin-200.png');
    expect(status).toBe('200');
    expect(body).toContain(adminName);
  }, 60_000);

  it('a non-admin token gets 403 FORBIDDEN there', async () => {
    const { status, body } = await tryListUsers(userToken, 'swagger-user-403.png');
    expect(status).toBe('403');
    expect(body).toContain('FORBIDDEN');
  }, 60_000);
});
