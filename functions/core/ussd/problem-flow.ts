import type { Content, UiStrings } from '../content/schema.js';
import type { Study } from '../model.js';
import { fill } from './text.js';
import { listScreen, readList } from './list.js';
import { renderScreen } from './screen.js';
import type { UssdState } from './session.js';

/**
 * "Report a problem" (voice): provider, category, an optional few words, whether the provider's
 * desk may see the number (for this case only), then a reference the participant can quote. The reference comes from the session id, so a resent request
 * gets the same one and the complaint is stored once.
 */

export type ComplaintEffect = { type: 'complaint'; ref: string; provider: string; category: string; text?: string; shareNumber: boolean };
type ProblemState = Extract<UssdState, { at: 'problemProvider' | 'problemCategory' | 'problemText' | 'problemShare' | 'problemThanks' }>;

const MAX_TEXT = 100;
// Crockford's base 32: no I, L, O or U, so a reference read out over the phone is unambiguous.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short, stable reference for the complaint made in a session (FNV-1a of the session id). */
export function complaintRef(sessionId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < sessionId.length; i += 1) hash = Math.imul(hash ^ sessionId.charCodeAt(i), 0x01000193) >>> 0;
  let ref = '';
  for (let i = 0; i < 6; i += 1) {
    ref += ALPHABET[hash % 32];
    hash = Math.floor(hash / 32);
  }
  return ref;
}

function providerList(study: Study, s: UiStrings) {
  return { title: s.problemProvider, labels: study.providers.map((p) => p.name), canLeave: true };
}

function categoryList(content: Content, lang: string, s: UiStrings) {
  const labels = (content.complaints?.categories ?? []).map((c) => c.ussd?.[lang] ?? c.label[lang] ?? c.name);
  return { title: s.problemCategory, labels, canLeave: true };
}

export function advanceProblem(
  state: ProblemState,
  input: string,
  ctx: { study: Study; content: Content; sessionId?: string },
  s: UiStrings,
  menu: UssdState,
): { state: UssdState; notice?: string; effect?: ComplaintEffect } {
  switch (state.at) {
    case 'problemProvider': {
      const read = readList(providerList(ctx.study, s), s, state.page, input);
      if (read.kind === 'page') return { state: { ...state, page: read.page } };
      if (read.kind === 'back') return { state: menu };
      if (read.kind === 'invalid') return { state, notice: s.invalidChoice };
      const provider = ctx.study.providers[read.index]?.id ?? 'other';
      return { state: { at: 'problemCategory', lang: state.lang, page: 0, provider } };
    }
    case 'problemCategory': {
      const read = readList(categoryList(ctx.content, state.lang, s), s, state.page, input);
      if (read.kind === 'page') return { state: { ...state, page: read.page } };
      if (read.kind === 'back') return { state: { at: 'problemProvider', lang: state.lang, page: 0 } };
      if (read.kind === 'invalid') return { state, notice: s.invalidChoice };
      const category = ctx.content.complaints?.categories[read.index]?.name ?? 'other';
      return { state: { at: 'problemText', lang: state.lang, provider: state.provider, category } };
    }
    case 'problemText': {
      const text = input.trim();
      if (text.length > MAX_TEXT) return { state, notice: fill(s.invalidText, { max: MAX_TEXT }) };
      return { state: { at: 'problemShare', lang: state.lang, provider: state.provider, category: state.category, ...(text && text !== '0' ? { text } : {}) } };
    }
    case 'problemShare': {
      if (input !== '1' && input !== '2') return { state, notice: s.invalidChoice };
      const ref = complaintRef(ctx.sessionId ?? '');
      const { at: _at, lang: _lang, ...fields } = state;
      return { state: { at: 'problemThanks', lang: state.lang, ref }, effect: { type: 'complaint', ref, ...fields, shareNumber: input === '1' } };
    }
    case 'problemThanks':
      return { state };
  }
}

export function viewProblem(state: ProblemState, ctx: { study: Study; content: Content }, s: UiStrings, notice?: string): string {
  switch (state.at) {
    case 'problemProvider':
      return listScreen(providerList(ctx.study, s), s, state.page, notice);
    case 'problemCategory':
      return listScreen(categoryList(ctx.content, state.lang, s), s, state.page, notice);
    case 'problemText':
      return renderScreen('CON', [s.problemText], notice);
    case 'problemShare':
      return renderScreen('CON', [s.problemShare], notice);
    case 'problemThanks':
      return renderScreen('END', [fill(s.problemThanks, { ref: state.ref })]);
  }
}
