import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureWebBuilt } from '../../web/build.js';
import { killAll, type Stack, startStack, stopStack } from '../support/stack.js';

/**
 * Shared pieces of the browser tests: Debian's chromium driven by playwright-core, axe-core
 * run inside the page, and screenshots under test-artifacts/ (git-ignored, kept by CI).
 */
export const CHROMIUM = process.env.SAUTI_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/**
 * The browser, whose every context waits up to a minute for a page, a locator or a navigation:
 * waits, not verdicts, so a busy machine renders late but never fails a test.
 */
export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(60_000);
    context.setDefaultNavigationTimeout(60_000);
    return context;
  };
  return browser;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Every axe-core violation on the page as it is now (WCAG 2.x A and AA and best practices).
 * Evaluated over the DevTools protocol, so the console's Content-Security-Policy, which allows
 * no inline script, stays on during the test.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // A string, evaluated in the page: the test's own program has no DOM types.
  return page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
}

/** Violations as readable lines, for an assertion message that says what to fix. */
export function describeViolations(violations: AxeViolation[]): string[] {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * `npm start` in a scratch data folder and a browser, for the whole test file: started before
 * its first test, stopped (and the folder removed) after its last.
 */
export function liveStack(prefix: string): { stack: Stack; browser: Browser } {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const live = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    await ensureWebBuilt();
    [live.stack, live.browser] = await Promise.all([startStack(dataDir), launch()]);
  });
  afterAll(async () => {
    await live.browser?.close();
    if (live.stack) await stopStack(live.stack);
    killAll();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return live;
}
