import type { Content, Keywords } from '../content/schema.js';
import type { AnswerValue } from '../model.js';
import { isDiaryReply, parseDiaryReply } from './diary-reply.js';
import { asciiDigits, keywordOf } from './keywords.js';
import { solvedAnswer, statusQuery } from '../cases/status.js';

/**
 * What an incoming SMS asks for. A keyword that is the whole message wins (STOP must work
 * whatever else the participant is doing); then a diary reply (`D …`), then a status query
 * (`P <ref>`, cases/status.ts), then a complaint (`P …`, in every language's spelling of
 * "problem"), then kudos (`K …`), then a bare answer to "Was your problem solved?" (1/2, yes/no);
 * anything else is unknown and gets a short help reply (rate-limited by the caller).
 */
export type InboundIntent =
  | { kind: 'stop' | 'start' | 'help' | 'forget' | 'forgetConfirm' }
  | { kind: 'diary'; answers: Record<string, AnswerValue> }
  | { kind: 'diaryInvalid'; problem: 'format' | 'range' }
  | { kind: 'complaint'; text: string }
  /** `certain: false`: a one-word complaint unless the word is one of the sender's references. */
  | { kind: 'status'; ref: string; certain: boolean; text: string }
  | { kind: 'kudos'; text: string }
  | { kind: 'solved'; solved: boolean }
  | { kind: 'unknown' };

const COMPLAINT = /^\s*(p|problem|tatizo|সমস্যা)(?=[\s:.,!-]|$)[\s:.,!-]*/iu;
const KUDOS = /^\s*(k|kudos|pongezi|প্রশংসা)(?=[\s:.,!-]|$)[\s:.,!-]*/iu;
const MAX_COMPLAINT = 300;

export function interpretInbound(text: string, content: Pick<Content, 'keywords' | 'diary'>): InboundIntent {
  const keyword = content.keywords ? keywordOf(text, content.keywords as Keywords) : undefined;
  if (keyword) return { kind: keyword };
  if (content.diary && isDiaryReply(text)) {
    const reply = parseDiaryReply(text, content.diary);
    return reply.ok ? { kind: 'diary', answers: reply.answers } : { kind: 'diaryInvalid', problem: reply.problem };
  }
  const complaint = COMPLAINT.exec(asciiDigits(text));
  if (complaint) {
    const body = text.slice(complaint[0].length).trim().slice(0, MAX_COMPLAINT);
    const query = statusQuery(text);
    if (query) return { kind: 'status', ...query, text: body };
    return body ? { kind: 'complaint', text: body } : { kind: 'unknown' };
  }
  const kudos = KUDOS.exec(asciiDigits(text));
  if (kudos) {
    const body = text.slice(kudos[0].length).trim().slice(0, MAX_COMPLAINT);
    return { kind: 'kudos', text: body };
  }
  const solved = solvedAnswer(text);
  return solved === undefined ? { kind: 'unknown' } : { kind: 'solved', solved };
}
