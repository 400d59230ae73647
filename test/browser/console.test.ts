import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dialHttp } from '../support/stack.js';
import { axeViolations, describeViolations, liveStack, screenshot } from './browser.js';

/**
 * The web console and the phone simulator in a real browser (Debian's chromium) against
 * `npm start`: sign in per role, the overview, a campaign previewed and scheduled, a diary
 * answered in the simulator and counted on the overview, what NGO staff cannot reach, and
 * axe-core on every main page, on a laptop and on a 360-pixel phone.
 */
const live = liveStack('sauti-browser-');
const errors: string[] = [];

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

async function open(viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await live.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`${page.url()}: ${err.message}`));
  page.on('console', (m) => {
    // A refused inline script or style (the Content-Security-Policy) is a bug of the console.
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
  });
  return { context, page };
}

async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(describeViolations(violations), `axe on ${name}`).toEqual([]);
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.goto(`${live.stack.base}/`);
  await page.getByLabel('Access token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Study overview' }).waitFor();
}

/** The overview's "diaries answered this week" figure. */
async function answeredThisWeek(page: Page): Promise<number> {
  const text = await page.getByTestId('answered-latest').textContent({ timeout: 60_000 });
  return Number(text);
}

/** Answers the simulated phone's current USSD screen and waits for the next one. */
async function answer(page: Page, key: string): Promise<string> {
  const before = await page.getByTestId('screen-live').textContent();
  await page.getByLabel('Your answer').fill(key);
  await page.getByLabel('Your answer').press('Enter');
  await expect.poll(() => page.getByTestId('screen-live').textContent(), { timeout: 60_000 }).not.toBe(before);
  return (await page.getByTestId('screen-live').textContent()) ?? '';
}

describe('web console', () => {
  let answeredBefore = 0;

  it('a researcher signs in and sees the study overview, without axe violations', async () => {
    // One diary answer this week, so the response chart has a week to draw whatever the day
    // (it starts at the first week with a prompt or a diary).
    for (const text of ['', '1', '1*2']) await dialHttp(live.stack, { sessionId: 'overview-001', phoneNumber: '+254700000001', text });
    const { context, page } = await open(LAPTOP);
    await page.goto(`${live.stack.base}/`);
    await page.getByRole('heading', { name: 'Sign in to Sauti' }).waitFor();
    await expectNoAxeViolations(page, 'the sign-in page');
    await screenshot(page, 'login');

    // A wrong token is refused on the sign-in page itself, with the API's message.
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('That token is not valid or has expired; sign in again with a valid token.');

    await signIn(page, 'local-researcher');
    answeredBefore = await answeredThisWeek(page);
    // Keyboard first: the first Tab reaches the skip link, which moves focus to the page itself.
    await page.keyboard.press('Tab');
    await expect(page.evaluate<string>('document.activeElement.textContent')).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate<string>('document.activeElement.id')).resolves.toBe('main');
    await expect(page.getByText('Consented').first().isVisible()).resolves.toBe(true);
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Overview', 'Participants', 'Campaigns', 'Content', 'Exports & impact', 'Phone simulator', 'Enumerators']);
    await page.getByText('Show as a table').first().click();
    await expectNoAxeViolations(page, 'the overview');
    await screenshot(page, 'overview');

    // Participants: pseudonymous ids, a timeline, and no phone reveal for a researcher.
    await nav.getByRole('link', { name: 'Participants' }).click();
    const first = page.getByTestId('participants-table').getByRole('link').first();
    await expect(first.textContent()).resolves.toMatch(/^demo-\d{3}$/);
    await expect(page.content()).resolves.not.toMatch(/\+2547\d{8}/);
    await expectNoAxeViolations(page, 'the participants page');
    await first.click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await expectNoAxeViolations(page, 'a participant timeline');
    await expect(page.getByRole('button', { name: 'Reveal phone' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('signs in through the Cognito hosted UI with the authorization code and PKCE, when the deployment configures it', async () => {
    const { context, page } = await open(LAPTOP);
    // What a deployment's config.js sets (the local one leaves it unset). The hosted UI is faked
    // on the stack's own origin (the console's CSP allows only that), answering as Cognito does.
    const domain = `${live.stack.base}/fake-cognito`;
    await context.addInitScript((d) => Object.assign(globalThis, { SAUTI_CONFIG: { cognitoDomain: d, userPoolClientId: 'console-client' } }), domain);
    const seen: { authorize?: URLSearchParams; token?: URLSearchParams } = {};
    await context.route(`${domain}/oauth2/authorize?*`, (route) => {
      const q = new URL(route.request().url()).searchParams;
      seen.authorize = q;
      return route.fulfill({ status: 302, headers: { location: `${q.get('redirect_uri')}?code=the-code&state=${q.get('state')}` } });
    });
    await context.route(`${domain}/oauth2/token`, async (route) => {
      const body = new URLSearchParams(route.request().postData() ?? '');
      seen.token = body;
      // As Cognito: the verifier must hash to the challenge sent to /authorize.
      const { createHash } = await import('node:crypto');
      const challenge = createHash('sha256').update(body.get('code_verifier') ?? '').digest('base64url');
      const ok = body.get('code') === 'the-code' && challenge === seen.authorize?.get('code_challenge') && body.get('client_id') === 'console-client';
      // The ID token stands in as the local researcher token, which the local API accepts.
      return route.fulfill({ status: ok ? 200 : 400, contentType: 'application/json', body: JSON.stringify(ok ? { id_token: 'local-researcher', token_type: 'Bearer' } : { error: 'invalid_grant' }) });
    });
    await page.goto(`${live.stack.base}/`);
    await expect(page.getByLabel('Access token').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Sign in with Cognito' }).click();
    await page.getByRole('heading', { level: 1, name: 'Study overview' }).waitFor();
    expect(Object.fromEntries(seen.authorize ?? [])).toMatchObject({ response_type: 'code', client_id: 'console-client', redirect_uri: `${live.stack.base}/`, code_challenge_method: 'S256' });
    expect(seen.token?.get('grant_type')).toBe('authorization_code');
    // The code leaves the address bar.
    expect(new URL(page.url()).search).toBe('');

    // A return whose state does not match is refused, and says so.
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${live.stack.base}/?code=stolen&state=forged`);
    await page.getByRole('alert').filter({ hasText: 'could not be verified' }).waitFor();
    await expect(page.getByRole('heading', { level: 1, name: 'Study overview' }).count()).resolves.toBe(0);
    await context.close();
  });

  it('the simulator, open without sign-in on a 360-pixel phone, completes a diary that the overview then counts', async () => {
    const { context, page } = await open(PHONE);
    await page.goto(`${live.stack.base}/simulator`);
    await page.getByRole('heading', { level: 1, name: 'Phone simulator' }).waitFor();
    await expectNoAxeViolations(page, 'the simulator');
    // The page fits the phone's width: nothing scrolls sideways.
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(PHONE.width);

    await page.getByLabel('Simulated phone').selectOption('+254700000003');
    await expect(page.getByLabel('Number to dial').inputValue()).resolves.toBe('*384*123#');
    await page.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => page.getByTestId('screen-live').textContent(), { timeout: 60_000 }).toMatch(/This week's diary/);
    // Measured as the network counts it, the CON prefix included: GSM-7, 160 a screen.
    await expect(page.locator('.screen-count').textContent()).resolves.toMatch(/^\d+\/160 chars \(GSM-7, with the CON prefix\)$/);
    await screenshot(page, 'simulator-menu');
    // diary · no wages · saved 0 · no borrowing · food · rotating item · save
    const screens: string[] = [];
    for (const key of ['1', '2', '0', '2', '1', '1']) screens.push(await answer(page, key));
    expect(screens[0]).toMatch(/receive your wage/);
    expect(screens.at(-1)).toMatch(/^Your answers this week/);
    await expect(answer(page, '1')).resolves.toBe('Thank you! Your diary for this week is saved.');
    await expect(page.getByText('session ended').isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(page, 'the simulator after a session');
    await screenshot(page, 'simulator-saved');

    // Signed in again (a researcher, on the phone's screen), the week counts one more diary.
    await signIn(page, 'local-researcher');
    await expect.poll(() => answeredThisWeek(page), { timeout: 60_000 }).toBe(answeredBefore + 1);
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(PHONE.width);
    await expectNoAxeViolations(page, 'the overview at 360 px');
    await screenshot(page, 'overview-360');
    answeredBefore += 1;
    await context.close();
  });

  it('a Bengali screen in the Dhaka study is measured against UCS-2\'s 80 characters', async () => {
    const { context, page } = await open(LAPTOP);
    await page.goto(`${live.stack.base}/simulator`);
    await page.getByLabel('Study').selectOption('dhaka-2026');
    await expect.poll(() => page.getByLabel('Number to dial').inputValue(), { timeout: 60_000 }).toBe('*384*880#');
    await page.getByLabel('Simulated phone').selectOption('+8801700000001');
    await page.getByRole('button', { name: 'Call' }).click();
    await expect.poll(() => page.locator('.screen-count').textContent(), { timeout: 60_000 }).toMatch(/^\d+\/80 chars \(UCS-2, with the CON prefix\)$/);
    await context.close();
  });

  it('a text to the short code gets its reply in the simulated inbox', async () => {
    const { context, page } = await open(LAPTOP);
    await page.goto(`${live.stack.base}/simulator`);
    await page.getByLabel('Simulated phone').selectOption('+254700000005');
    await page.getByLabel('Text to 20880').fill('HELP');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    // The reply goes through the send queue into the outbox; the inbox polls every 2 s.
    await page.locator('.sms-in').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('.sms-out').first().textContent()).resolves.toContain('HELP');
    await context.close();
  });

  it('NGO staff preview and schedule a campaign, pause and resume it, and never reach diary rows', async () => {
    const { context, page } = await open(LAPTOP);
    await signIn(page, 'local-ngo');
    const nav = page.getByRole('navigation', { name: 'Console' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual(['Overview', 'Campaigns', 'Content', 'Phone simulator']);

    await nav.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('heading', { name: 'New campaign' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Browser test lessons');
    // The control arm cannot be ticked: lessons never go to it.
    await expect(page.getByLabel(/Diary only/).isDisabled()).resolves.toBe(true);
    const totals = page.getByTestId('preview-totals');
    await expect(totals.textContent({ timeout: 60_000 })).resolves.toMatch(/^18 people, \d+ SMS, \d+ segments, [\d.]+ KES$/);
    await expectNoAxeViolations(page, 'the campaigns page');
    await screenshot(page, 'campaigns');

    await page.getByRole('button', { name: 'Schedule campaign' }).click();
    const row = page.getByTestId('campaigns-table').getByRole('row', { name: /Browser test lessons/ });
    await expect(row.getByRole('cell').first().textContent({ timeout: 60_000 })).resolves.toBe('scheduled');
    await row.getByRole('button', { name: 'Pause Browser test lessons' }).click();
    await expect.poll(() => row.getByRole('cell').first().textContent(), { timeout: 60_000 }).toBe('paused');
    await row.getByRole('button', { name: 'Resume Browser test lessons' }).click();
    await expect.poll(() => row.getByRole('cell').first().textContent(), { timeout: 60_000 }).toBe('scheduled');

    await nav.getByRole('link', { name: 'Content' }).click();
    await page.getByText(/texts; \d+ with warnings/).waitFor();
    await expect(page.locator('.screen-card').count()).resolves.toBeGreaterThan(10);
    await expect(page.evaluate<number>('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(LAPTOP.width);
    // Narrowed to the diary's screens, each drawn as the phone shows it (no CON/END prefix).
    await page.getByLabel('Part').selectOption('diary');
    await expect(page.locator('.screen-card .phone-text').first().textContent()).resolves.toMatch(/^In the last 7 days/);
    await expectNoAxeViolations(page, 'the content preview');
    await screenshot(page, 'content');

    // Typed by hand, the participants page is not there for NGO staff, and the API refuses it.
    await page.goto(`${live.stack.base}/participants`);
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    await expect(page.getByTestId('participants-table').count()).resolves.toBe(0);
    const direct = await fetch(`${live.stack.base}/api/v1/studies/athi-river-2026/participants`, { headers: { authorization: 'Bearer local-ngo' } });
    expect(direct.status).toBe(403);
    const timeline = await fetch(`${live.stack.base}/api/v1/studies/athi-river-2026/participants/demo-001/timeline`, { headers: { authorization: 'Bearer local-ngo' } });
    expect(timeline.status).toBe(403);
    const exported = await fetch(`${live.stack.base}/api/v1/studies/athi-river-2026/exports`, {
      method: 'POST',
      headers: { authorization: 'Bearer local-ngo', 'content-type': 'application/json' },
      body: JSON.stringify({ dataset: 'diary_long' }),
    });
    expect(exported.status).toBe(403);
    await context.close();
  });

  it('a researcher exports diaries and downloads the CSV; the download needs a research role', async () => {
    const { context, page } = await open(LAPTOP);
    await signIn(page, 'local-researcher');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Exports & impact' }).click();
    await page.getByLabel('Dataset', { exact: true }).selectOption('diary_long');
    await page.getByRole('button', { name: 'Start export' }).click();
    // The diaries answered in the simulator above are in it.
    const rows = Number(/^(\d+) rows in diary_long/.exec((await page.getByTestId('export-result').textContent({ timeout: 60_000 })) ?? '')?.[1]);
    expect(rows).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^diary_long-.*\.csv$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/pid/);
    expect(csv).not.toMatch(/\+2547\d{8}/);

    await page.getByRole('button', { name: 'Show the latest impact report' }).click();
    const frame = page.frameLocator('iframe[title="Impact report"]');
    await frame.locator('h1, h2').first().waitFor({ timeout: 60_000 });
    await expect(page.locator('iframe[title="Impact report"]').getAttribute('sandbox')).resolves.toBe('');
    await expectNoAxeViolations(page, 'the exports and impact page');
    await screenshot(page, 'exports-impact');

    const file = `/local/exports/athi-river-2026/${encodeURIComponent(download.suggestedFilename())}`;
    expect((await fetch(`${live.stack.base}${file}`)).status).toBe(401);
    expect((await fetch(`${live.stack.base}${file}`, { headers: { authorization: 'Bearer local-ngo' } })).status).toBe(403);
    expect((await fetch(`${live.stack.base}${file}`, { headers: { authorization: 'Bearer local-admin' } })).status).toBe(200);
    for (const escape of ['/local/exports/..%2F..%2Fpackage.json', '/local/exports/%2E%2E/dynamodb/dynamodb-local.pid', '/local/exports/..%2fdynamodb']) {
      expect((await fetch(`${live.stack.base}${escape}`, { headers: { authorization: 'Bearer local-admin' } })).status, escape).toBe(404);
    }
    await context.close();
  });

  it('an admin may reveal a phone number, with a reason', async () => {
    const { context, page } = await open(LAPTOP);
    await signIn(page, 'local-admin');
    await page.goto(`${live.stack.base}/participants/demo-002`);
    await page.getByRole('button', { name: 'Reveal phone' }).click();
    await page.getByLabel(/Why do you need this number/).fill('Participant asked for a call back');
    await page.getByRole('button', { name: 'Reveal phone' }).click();
    await expect(page.getByText('Phone number:').textContent({ timeout: 60_000 })).resolves.toContain('+254700000002');
    // The reveal is on the audit trail, with its reason, and the trail never shows the number.
    await page.getByRole('link', { name: '← All participants' }).click();
    const trail = page.getByTestId('audit-table');
    await expect(trail.getByRole('row').nth(1).textContent({ timeout: 60_000 })).resolves.toMatch(/Local admin.*reveal-phone.*demo-002.*Participant asked for a call back/);
    await expect(trail.textContent()).resolves.not.toContain('+254700000002');
    // Beside the label, the account's id of record (a configured token's is its name).
    await expect(trail.getByRole('row').nth(1).locator('code').textContent()).resolves.toBe('Local admin');
    await context.close();
  });

  it('an admin invites a staff member, who signs in with the token and the role given; disabled, the token stops working', async () => {
    const { context, page } = await open(LAPTOP);
    await signIn(page, 'local-admin');
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Staff' }).click();
    await page.getByRole('heading', { level: 1, name: 'Staff accounts' }).waitFor();
    await page.getByLabel('Email').fill('amina@ngo.example');
    await page.getByLabel('Role', { exact: true }).selectOption('ngo');
    await page.getByRole('button', { name: 'Invite' }).click();
    const note = await page.getByTestId('users-note').textContent({ timeout: 60_000 });
    const token = /shown once\): (\S+)/.exec(note ?? '')?.[1];
    expect(token, note ?? '').toMatch(/^local-/);
    await page.getByTestId('users-table').getByRole('row', { name: /amina@ngo\.example/ }).waitFor();
    await expectNoAxeViolations(page, 'the staff page');
    await screenshot(page, 'staff');

    const { context: other, page: theirs } = await open(LAPTOP);
    await signIn(theirs, token as string);
    await expect(theirs.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents()).resolves.not.toContain('Staff');
    await expect(theirs.locator('.who').textContent()).resolves.toContain('amina@ngo.example (ngo)');
    await other.close();

    await page.getByRole('button', { name: 'Disable amina@ngo.example' }).click();
    await page.getByTestId('users-note').filter({ hasText: 'is disabled' }).waitFor();
    expect((await fetch(`${live.stack.base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await context.close();
  });

  it('serves the console for its own paths only, with content types and no way out of web/dist', async () => {
    const get = (path: string) => fetch(`${live.stack.base}${path}`);
    const page = await get('/campaigns');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect((await get('/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('/app.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/missing.js')).status).toBe(404);
    for (const escape of ['/..%2F..%2Fpackage.json', '/%2E%2E/%2E%2E/package.json', '/..%5C..%5Cpackage.json', '/%00']) {
      const res = await get(escape);
      expect(await res.text(), escape).not.toContain('"name": "sauti"');
      expect([400, 404, 200], escape).toContain(res.status);
    }
    // API and callback paths keep their own answers, never the console's page.
    const api = await get('/api/v1/nothing-here');
    expect([api.status, api.headers.get('content-type')]).toEqual([404, 'application/json; charset=utf-8']);
    expect((await get('/at/wrong/ussd')).status).toBe(404);
  });

  it('left no uncaught errors or Content-Security-Policy refusals in any page', () => {
    expect(errors).toEqual([]);
  });
});
