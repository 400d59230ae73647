import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import type { UiStrings } from '../../functions/core/content/schema.js';
import { lessonSequence } from '../../functions/core/ussd/lessons-flow.js';
import { dialHttp, killAll, type Stack, startStack, stopStack } from '../support/stack.js';
import { texts } from '../support/ussd.js';

/**
 * Every participant menu over HTTP against `npm start`, in each language: English and
 * Kiswahili in the Kenyan demo study, Bengali in the Dhaka one. Seeded participants: in
 * each study numbers 1-3 are in the treatment arm, 4-6 in control; numbers divisible by 3
 * speak the study's second language.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'sauti-e2e-menus-'));
let stack: Stack;

beforeAll(async () => {
  stack = await startStack(dataDir);
});

afterAll(async () => {
  if (stack) await stopStack(stack);
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

const people = [
  { lang: 'sw', serviceCode: '*384*123#', treatment: '+254700000001', control: '+254700000004' },
  { lang: 'en', serviceCode: '*384*123#', treatment: '+254700000003', control: '+254700000006' },
  { lang: 'bn', serviceCode: '*384*880#', treatment: '+8801700000001', control: '+8801700000004' },
];

let session = 0;
/** One whole USSD session: every hop's `text` in turn; returns the screens. */
async function walk(serviceCode: string, phoneNumber: string, keys: string[]): Promise<string[]> {
  const sessionId = `ATUid_m${(session += 1)}`;
  const screens: string[] = [];
  for (const text of texts(keys)) {
    const res = await dialHttp(stack, { sessionId, phoneNumber, text, serviceCode });
    expect(res.status).toBe(200);
    screens.push(res.body);
  }
  return screens;
}

describe.each(people)('participant menus in $lang', ({ lang, serviceCode, treatment, control }) => {
  const s = content.strings[lang] as UiStrings;
  const fill = (t: string, vars: Record<string, string>) => t.replace(/\{(\w+)\}/g, (w, k: string) => vars[k] ?? w);

  it('main menu: the treatment arm sees lessons, the control arm does not', async () => {
    const [t] = await walk(serviceCode, treatment, []);
    const [c] = await walk(serviceCode, control, []);
    expect(t).toContain(`2. ${s.menuLessons}`);
    expect(c).not.toContain(s.menuLessons);
  });

  it('diary: a week without wages, saved, then the review', async () => {
    // diary · no wages · saved 0 · no borrowing · food · rotating item · save
    const screens = await walk(serviceCode, control, ['1', '2', '0', '2', '1', '1', '1']);
    expect(screens.at(-2)).toContain(s.diarySave);
    expect(screens.at(-1)).toBe(`END ${s.diarySaved}`);
    // Dialling the diary again shows it saved, open to changes until the week ends.
    expect((await walk(serviceCode, control, ['1'])).at(-1)).toMatch(new RegExp(`^CON ${s.diaryDone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('lessons: the first lesson page by page, the quiz and its feedback', async () => {
    const first = lessonSequence(content)[0];
    const pages = first?.lesson.ussd[lang]?.length ?? 0;
    const screens = await walk(serviceCode, treatment, ['2', ...Array(pages).fill('98'), '1']);
    expect(screens[1]).toBe(`CON ${first?.lesson.ussd[lang]?.[0]}\n${s.more}`);
    expect(screens.at(-1)).toBe(`END ${first?.lesson.quiz.choices[0]?.feedback[lang]}`);
    // A control participant pressing the same keys never gets a lesson page.
    const control2 = await walk(serviceCode, control, ['2', '98', '98']);
    for (const screen of control2) expect(screen).not.toContain(first?.lesson.ussd[lang]?.[0]);
  });

  it('my summary, report a problem with a reference, and a reminder setting', async () => {
    expect((await walk(serviceCode, control, ['2'])).at(-1)).toMatch(new RegExp(`^CON ${s.summaryTitle}\\n`));
    const report = (await walk(serviceCode, control, ['3', '1', '1', '0', '2'])).at(-1);
    expect(report).toMatch(new RegExp(`^END ${fill(s.problemThanks, { ref: '[0-9A-Z]{6}' }).replace(/\./g, '\\.')}$`));
    expect((await walk(serviceCode, control, ['4', '2', '1', '18'])).at(-1)).toBe(`END ${s.settingsSaved}`);
  });
});

describe('language change and stop', () => {
  it('a language change takes effect at once, and stop opts the number out', async () => {
    const phone = '+254700000002'; // treatment, Kiswahili
    expect((await walk('*384*123#', phone, ['5', '1', '1'])).at(-1)).toBe(`END ${content.strings.en?.settingsSaved}`);
    expect((await walk('*384*123#', phone, [])).at(-1)).toMatch(/^CON Sauti\n1\. This week's diary/);
    const stop = await walk('*384*123#', phone, ['5', '4', '1']);
    expect(stop.at(-1)).toMatch(/^END You have stopped taking part/);
    // After stopping, the number is no longer in the study: dialling offers to join again.
    expect((await walk('*384*123#', phone, [])).at(-1)).toMatch(/^CON Welcome to Sauti/);
  });
});
