import type { Content } from '../content/schema.js';
import type { Study } from '../model.js';
import { consentLabel } from './labels.js';
import { type ConsoleComplaint, type ConsoleMessage, type ConsoleParticipant, type ConsoleWeek, type ParticipantRow, participantRow } from './model.js';

export type TimelineKind = 'diary' | 'lesson' | 'message' | 'complaint' | 'consent';

export interface TimelineEvent {
  at: string;
  kind: TimelineKind;
  title: string;
  detail?: string;
  status?: string;
}

export interface Timeline {
  participant: ParticipantRow;
  events: TimelineEvent[];
}

/**
 * A run of digits long enough to be a phone number (7 or more, spaces and dashes allowed): a
 * participant may type one into a complaint, and the console must not show it (invariant 6).
 * An ISO date (2026-11-03) is left alone; anything else that long goes, a number too many
 * rather than one too few.
 */
const PHONE_LIKE = /(?<!\d)(?!(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\s-]?\d))\+?\d(?:[\s-]?\d){6,}/g;
export function withoutPhoneNumbers(text: string): string {
  return text.replace(PHONE_LIKE, '[number removed]');
}

/**
 * One participant's history for the console, newest first: enrolment, consent and assignment,
 * diary weeks, lessons finished, messages sent and problems reported. Built from records that
 * carry no phone number; free text is cleaned of anything that looks like one.
 */
export function participantTimeline(input: {
  study: Study;
  content: Pick<Content, 'modules' | 'complaints'>;
  participant: ConsoleParticipant;
  weeks: readonly ConsoleWeek[];
  messages: readonly ConsoleMessage[];
  complaints: readonly ConsoleComplaint[];
}): Timeline {
  const { study, participant: p } = input;
  const lang = study.languages[0] ?? 'en';
  const label = (t: Record<string, string> | undefined, fallback: string) => t?.[lang] ?? t?.en ?? fallback;
  const events: TimelineEvent[] = [];

  if (p.createdAt) events.push({ at: p.createdAt, kind: 'consent', title: 'Enrolled', detail: `source: ${p.source}` });
  if (p.consent?.at) {
    const detail = [p.consent.version ? `version ${p.consent.version}` : '', p.consent.channel ? `by ${p.consent.channel}` : ''].filter(Boolean).join(', ');
    events.push({ at: p.consent.at, kind: 'consent', title: `Consent: ${consentLabel(p.consent.state)}`, ...(detail ? { detail } : {}), status: p.consent.state });
  }
  if (p.assignment && p.armId) {
    const arm = study.arms.find((a) => a.armId === p.armId);
    events.push({ at: p.assignment.at, kind: 'consent', title: `Assigned to ${arm?.name ?? p.armId}`, detail: `randomization ${p.assignment.randomizationId}` });
  }

  for (const w of input.weeks) {
    const answers = Object.values(w.answers ?? {});
    const given = answers.filter((a) => a?.value !== null && a?.value !== undefined).length;
    const channels = [...new Set(answers.map((a) => a?.channel).filter((c): c is string => typeof c === 'string'))];
    events.push({
      at: w.completedAt ?? w.updatedAt ?? isoOfLatest(answers.map((a) => a?.at)) ?? '',
      kind: 'diary',
      title: `Diary ${w.week} (study week ${w.studyWeek})`,
      detail: `${given} answer${given === 1 ? '' : 's'}${answers.length > given ? `, ${answers.length - given} skipped` : ''}${channels.length ? ` by ${channels.join(' and ')}` : ''}`,
      status: w.complete ? 'complete' : given > 0 ? 'partial' : 'started',
    });
  }

  const modules = input.content.modules ?? [];
  for (const [key, r] of Object.entries(p.lessons ?? {})) {
    const [moduleId = '', lessonId = ''] = key.split('/');
    const m = modules.find((x) => x.id === moduleId);
    const l = m?.lessons.find((x) => x.id === lessonId);
    events.push({
      at: r.at,
      kind: 'lesson',
      title: `Lesson finished: ${label(l?.title, lessonId)}`,
      detail: `${label(m?.title, moduleId)}; quiz answer "${r.choice}"`,
      status: r.correct ? 'correct' : 'wrong',
    });
  }

  for (const m of input.messages) {
    events.push({
      at: m.sentAt ?? m.createdAt,
      kind: 'message',
      title: `SMS: ${m.purpose}`,
      detail: m.failureReason ? `${m.period}; ${m.failureReason}` : m.period,
      status: m.status,
    });
  }

  const providers = new Map(study.providers.map((x) => [x.id, x.name]));
  const categories = new Map((input.content.complaints?.categories ?? []).map((c) => [c.name, label(c.label, c.name)]));
  for (const c of input.complaints) {
    const parts = [c.category ? (categories.get(c.category) ?? c.category) : '', c.text ? `"${withoutPhoneNumbers(c.text)}"` : '', c.ref ? `ref ${c.ref}` : ''].filter(Boolean);
    events.push({ at: c.at ?? '', kind: 'complaint', title: `Problem reported: ${providers.get(c.provider) ?? c.provider}`, ...(parts.length ? { detail: parts.join('; ') } : {}), ...(c.channel ? { status: c.channel } : {}) });
  }

  // Newest first; same instant: the order written above (stable sort).
  events.sort((a, b) => b.at.localeCompare(a.at));
  return { participant: participantRow(p, lang), events };
}

function isoOfLatest(ats: readonly (string | undefined)[]): string | undefined {
  return ats.filter((a): a is string => typeof a === 'string').sort().at(-1);
}
