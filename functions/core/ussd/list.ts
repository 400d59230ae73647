import type { UiStrings } from '../content/schema.js';
import { navLines, turnPage } from './navigation.js';
import { paginateOptions, renderScreen } from './screen.js';

/**
 * A numbered list on USSD screens: options paginate with "98. More", "0. Back" goes to the
 * previous page (or out of the list). One implementation for every menu and picker.
 */
export type ListInput = { kind: 'page'; page: number } | { kind: 'picked'; index: number } | { kind: 'back' } | { kind: 'invalid' };

export interface ListSpec {
  title: string;
  labels: readonly string[];
  /** Whether "0. Back" leaves the list from its first page. */
  canLeave: boolean;
  footer?: readonly string[];
}

function pagesOf(spec: ListSpec, s: UiStrings) {
  const options = spec.labels.map((l, i) => `${i + 1}. ${l}`);
  return paginateOptions(spec.title, options, s, { backOnFirstPage: spec.canLeave, ...(spec.footer ? { footer: spec.footer } : {}) });
}

export function readList(spec: ListSpec, s: UiStrings, page: number, input: string): ListInput {
  const pages = pagesOf(spec, s);
  const current = Math.min(Math.max(page, 0), pages.length - 1);
  const turn = turnPage(input, current, pages.length);
  if (typeof turn === 'object') return { kind: 'page', page: turn.to };
  if (turn === 'beforeFirst') return spec.canLeave ? { kind: 'back' } : { kind: 'invalid' };
  if (!/^\d{1,2}$/.test(input)) return { kind: 'invalid' };
  // Any number shown so far is accepted, also from an earlier page.
  const shown = pages.slice(0, current + 1).reduce((n, p) => n + p.options.length, 0);
  const index = Number(input) - 1;
  return index >= 0 && index < shown ? { kind: 'picked', index } : { kind: 'invalid' };
}

export function listScreen(spec: ListSpec, s: UiStrings, page: number, notice?: string): string {
  const pages = pagesOf(spec, s);
  const current = Math.min(Math.max(page, 0), pages.length - 1);
  const p = pages[current] ?? { options: [], hasMore: false };
  const nav = navLines(s, { more: p.hasMore, back: current > 0 || spec.canLeave });
  return renderScreen('CON', [spec.title, ...p.options, ...nav, ...(spec.footer ?? [])], notice);
}
