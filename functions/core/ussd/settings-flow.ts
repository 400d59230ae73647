import type { UiStrings } from '../content/schema.js';
import type { Lang } from '../model.js';
import { parseAnswer } from '../questionnaire/answer.js';
import { listScreen, readList } from './list.js';
import { renderScreen } from './screen.js';
import type { UssdState } from './session.js';

/**
 * Settings: language, reminder day and hour, channel, and stop taking part. Each change is
 * one write of the participant and ends the session with a confirmation, in the new
 * language when the language changed.
 */

export type SettingsPatch = { lang: Lang } | { reminder: { day: number; hour: number } } | { channel: 'ussd' | 'sms' } | { stop: true };
export type SettingsEffect = { type: 'settings'; patch: SettingsPatch };
type SettingsState = Extract<UssdState, { at: 'settings' | 'settingsLanguage' | 'reminderDay' | 'reminderHour' | 'channel' | 'stopConfirm' }>;

const DAYS = ['dayMon', 'dayTue', 'dayWed', 'dayThu', 'dayFri', 'daySat', 'daySun'] as const;
const HOURS = { min: 6, max: 20 };

export interface SettingsContext {
  languages: readonly Lang[];
  /** Strings of a language, for showing each language's own name and the new language. */
  strings: (lang: Lang) => UiStrings;
}

function settingsList(s: UiStrings) {
  return { title: s.menuSettings, labels: [s.settingsLanguage, s.settingsReminder, s.settingsChannel, s.settingsStop], canLeave: true };
}
const languageList = (ctx: SettingsContext, s: UiStrings) => ({ title: s.settingsLanguage, labels: ctx.languages.map((l) => ctx.strings(l).languageName), canLeave: true });
const dayList = (s: UiStrings) => ({ title: s.reminderDay, labels: DAYS.map((d) => s[d]), canLeave: true });
const channelList = (s: UiStrings) => ({ title: s.settingsChannel, labels: [s.channelUssdOnly, s.channelSms], canLeave: true });

export function advanceSettings(state: SettingsState, input: string, ctx: SettingsContext, s: UiStrings, menu: UssdState): { state: UssdState; notice?: string; effect?: SettingsEffect } {
  const saved = (patch: SettingsPatch, lang = state.lang): { state: UssdState; effect: SettingsEffect } => ({
    state: { at: 'ended', lang, message: 'stop' in patch ? 'stopped' : 'settingsSaved' },
    effect: { type: 'settings', patch },
  });
  const back: UssdState = { at: 'settings', lang: state.lang, page: 0 };
  switch (state.at) {
    case 'settings': {
      const read = readList(settingsList(s), s, state.page, input);
      if (read.kind === 'page') return { state: { ...state, page: read.page } };
      if (read.kind === 'back') return { state: menu };
      if (read.kind === 'invalid') return { state, notice: s.invalidChoice };
      const next: UssdState[] = [
        { at: 'settingsLanguage', lang: state.lang },
        { at: 'reminderDay', lang: state.lang, page: 0 },
        { at: 'channel', lang: state.lang },
        { at: 'stopConfirm', lang: state.lang },
      ];
      return { state: next[read.index] ?? state };
    }
    case 'settingsLanguage': {
      const read = readList(languageList(ctx, s), s, 0, input);
      if (read.kind === 'back') return { state: back };
      if (read.kind !== 'picked') return { state, notice: s.invalidChoice };
      const lang = ctx.languages[read.index] ?? state.lang;
      return saved({ lang }, lang);
    }
    case 'reminderDay': {
      const read = readList(dayList(s), s, state.page, input);
      if (read.kind === 'page') return { state: { ...state, page: read.page } };
      if (read.kind === 'back') return { state: back };
      if (read.kind === 'invalid') return { state, notice: s.invalidChoice };
      return { state: { at: 'reminderHour', lang: state.lang, day: read.index + 1 } };
    }
    case 'reminderHour': {
      const hour = parseAnswer({ id: 'hour', type: 'integer', label: {}, constraint: { ...HOURS, message: {} } }, input, state.lang, s);
      if (!hour.ok) return { state, notice: hour.notice };
      return saved({ reminder: { day: state.day, hour: hour.value as number } });
    }
    case 'channel': {
      const read = readList(channelList(s), s, 0, input);
      if (read.kind === 'back') return { state: back };
      if (read.kind !== 'picked') return { state, notice: s.invalidChoice };
      return saved({ channel: read.index === 0 ? 'ussd' : 'sms' });
    }
    case 'stopConfirm':
      if (input === '1') return saved({ stop: true });
      if (input === '2') return { state: back };
      return { state, notice: s.invalidChoice };
  }
}

export function viewSettings(state: SettingsState, ctx: SettingsContext, s: UiStrings, notice?: string): string {
  switch (state.at) {
    case 'settings':
      return listScreen(settingsList(s), s, state.page, notice);
    case 'settingsLanguage':
      return listScreen(languageList(ctx, s), s, 0, notice);
    case 'reminderDay':
      return listScreen(dayList(s), s, state.page, notice);
    case 'reminderHour':
      return renderScreen('CON', [s.reminderHour], notice);
    case 'channel':
      return listScreen(channelList(s), s, 0, notice);
    case 'stopConfirm':
      return renderScreen('CON', [s.stopConfirm, s.stopYes, s.stopNo], notice);
  }
}
