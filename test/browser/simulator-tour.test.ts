import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { dialHttp } from '../support/stack.js';
import { axeViolations, describeViolations, liveStack, screenshot } from './browser.js';

/**
 * The simulator's guided tour is a training tool, so it must never change research data
 * (invariant 10): it runs on a throw-away synthetic number of its own, reads each screen
 * before pressing a key, and stops with an explanation when the screen is not the expected one.
 */
const live = liveStack('sauti-tour-');

const api = async (token: string, path: string, body?: unknown) => {
  const res = await fetch(`${live.stack.base}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
};

/** The number of every USSD request the page made (dial or key), read off the simulator's requests. */
function dialledNumbers(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/local/simulator/ussd')) seen.push((JSON.parse(req.postData() ?? '{}') as { phoneNumber: string }).phoneNumber);
  });
  return seen;
}

const current = (page: Page) => page.locator('.tour-steps [aria-current="step"]');

describe('the guided tour', () => {
  it('runs on its own synthetic number: a saved diary stays as it was, and exports leave the tour out', async () => {
    // A seeded participant (the one the tour used to dial) has saved this week's diary.
    const keys = ['1', '2', '0', '2', '1', '1', '1'];
    let saved = '';
    for (let i = 0; i <= keys.length; i += 1) saved = (await dialHttp(live.stack, { sessionId: 'saved-006', phoneNumber: '+254700000006', text: keys.slice(0, i).join('*') })).body;
    expect(saved).toBe('END Thank you! Your diary for this week is saved.');
    const timeline = () => api('local-admin', '/studies/athi-river-2026/participants/demo-006/timeline');
    const exportedRows = async () => (await api('local-researcher', '/studies/athi-river-2026/exports', { dataset: 'diary_long' })).rows;
    const [timelineBefore, rowsBefore] = [await timeline(), await exportedRows()];

    const context = await live.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const dialled = dialledNumbers(page);
    await page.goto(`${live.stack.base}/simulator`);
    await page.getByRole('button', { name: 'Start the guided tour' }).click();
    await expect(current(page).textContent()).resolves.toMatch(/throw-away number/);
    while ((await page.getByTestId('tour-next').textContent()) === 'Next') {
      const caption = await current(page).textContent();
      await page.getByTestId('tour-next').click();
      await expect.poll(() => current(page).textContent(), { timeout: 60_000 }).not.toBe(caption);
    }
    await expect(page.getByTestId('screen-live').textContent()).resolves.toBe('Thank you! Your diary for this week is saved.');
    expect(describeViolations(await axeViolations(page))).toEqual([]);
    await screenshot(page, 'simulator-tour');
    await page.getByTestId('tour-next').click();
    await page.getByRole('button', { name: 'Start the guided tour' }).waitFor();
    await expect(page.getByTestId('tour-stopped').count()).resolves.toBe(0);

    // One number, made for the tour: not a seeded participant's.
    expect(new Set(dialled).size).toBe(1);
    const [tourPhone] = dialled;
    expect(tourPhone).toMatch(/^\+254\d{9}$/);
    expect(tourPhone).not.toMatch(/^\+2547000000\d\d$/);
    await expect(page.getByLabel('Simulated phone').inputValue()).resolves.toBe(tourPhone);

    expect(await timeline()).toEqual(timelineBefore);
    // The tour's diary is stored (it walked the real menus) but is not research data.
    expect(await exportedRows()).toBe(rowsBefore);
    await context.close();
  });

  it('reads the screen before each key, and stops with an explanation when it is not the expected one', async () => {
    const context = await live.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const dialled = dialledNumbers(page);
    await page.goto(`${live.stack.base}/simulator`);
    await page.getByRole('button', { name: 'Start the guided tour' }).click();
    for (let i = 0; i < 2; i += 1) {
      const caption = await current(page).textContent();
      await page.getByTestId('tour-next').click();
      await expect.poll(() => current(page).textContent(), { timeout: 60_000 }).not.toBe(caption);
    }
    await expect.poll(() => page.getByTestId('screen-live').textContent(), { timeout: 60_000 }).toMatch(/This week's diary/);
    // The trainee presses ahead by hand: the phone is on the wage question, not the main menu.
    await page.getByLabel('Your answer').fill('1');
    await page.getByLabel('Your answer').press('Enter');
    await expect.poll(() => page.getByTestId('screen-live').textContent(), { timeout: 60_000 }).toMatch(/receive your wage/);
    const requests = dialled.length;
    await page.getByTestId('tour-next').click();
    const stopped = page.getByTestId('tour-stopped');
    await expect(stopped.textContent({ timeout: 60_000 })).resolves.toMatch(/^The tour stopped: it expected the main menu, but the phone shows "In the last 7 days, did you receive your wage.*Nothing was pressed/);
    await expect(page.getByTestId('screen-live').textContent()).resolves.toMatch(/receive your wage/);
    expect(dialled.length).toBe(requests);
    await context.close();
  });

describe('charts that do not mislead', () => {
  it('draws response with straight segments from the first prompted week, marks the open week partial, and says why the quiz chart is empty', async () => {
    // A diary answer this week (this test may run alone): the chart starts at the first week with a prompt or a diary.
    for (const text of ['', '1', '1*2']) await dialHttp(live.stack, { sessionId: 'charts-002', phoneNumber: '+254700000002', text });
    const context = await live.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${live.stack.base}/`);
    await page.getByLabel('Access token').fill('local-researcher');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Study overview' }).waitFor();
    const figure = page.locator('figure.chart', { hasText: 'Response rate per week and arm' });
    await expect(figure.locator('canvas').getAttribute('data-tension', { timeout: 60_000 })).resolves.toBe('0');
    // The demo's weeks, as the chart's own table lists them.
    const labels = await figure.locator('tbody th').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.at(-1)).toMatch(/^\d{4}-W\d{2} \(partial\)$/);
    const overview = (await api('local-researcher', '/studies/athi-river-2026/overview')) as { weeks: { week: string; prompted: boolean }[] };
    const firstPrompted = overview.weeks.find((w) => w.prompted)?.week;
    expect(labels[0]?.replace(' (partial)', '')).toBe(firstPrompted);
    await expect(page.getByTestId('delivery-hint').textContent()).resolves.toMatch(/sends no delivery\s+reports/);

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Exports & impact' }).click();
    await page.getByRole('button', { name: 'Show the latest impact report' }).click();
    const frame = page.frameLocator('iframe[title="Impact report"]');
    await expect(frame.locator('.no-chart[data-outcome="quiz_score"]').textContent({ timeout: 60_000 })).resolves.toMatch(/no chart, as nobody has answered a lesson quiz yet/);
    await expect(frame.locator('svg[aria-label^="Lesson quiz score"]').count()).resolves.toBe(0);
    await screenshot(page, 'charts');
    await context.close();
  });
});

describe('the console page', () => {
  it('loads with no 404: it has a favicon', async () => {
    const context = await live.browser.newContext();
    const page = await context.newPage();
    const missing: string[] = [];
    page.on('response', (res) => {
      if (res.status() === 404) missing.push(res.url());
    });
    await page.goto(`${live.stack.base}/`);
    await page.getByRole('heading', { name: 'Sign in to Sauti' }).waitFor();
    const icon = await fetch(`${live.stack.base}/favicon.svg`);
    expect([icon.status, icon.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
    await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('/favicon.svg');
    expect(missing).toEqual([]);
    await context.close();
  });
});

describe('the simulated inbox', () => {
  it('shows each SMS with its date, not only its time', async () => {
    const context = await live.browser.newContext({ locale: 'en-GB', timezoneId: 'Africa/Nairobi' });
    const page = await context.newPage();
    await page.goto(`${live.stack.base}/simulator`);
    await page.getByLabel('Simulated phone').selectOption('+254700000004');
    await page.getByLabel('Text to 20880').fill('HELP');
    await page.getByRole('button', { name: 'Send SMS' }).click();
    const reply = page.locator('.sms-in time').first();
    await reply.waitFor({ timeout: 60_000 });
    const at = (await reply.getAttribute('datetime')) as string;
    // The day of the reply, in the page's zone and words ("2 Dec 2026, 20:15").
    const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Africa/Nairobi' }).format(new Date(at));
    await expect(reply.textContent()).resolves.toContain(day);
    await context.close();
  });
});
});
