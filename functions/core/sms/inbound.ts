import type { Content, Keywords } from '../content/schema.js';
import type { AnswerValue } from '../model.js';
import { isDiaryReply, parseDiaryReply } from './diary-reply.js';
import { asciiDigits, keywordOf } from './keywords.js';

/**
 * What an incoming SMS asks for. A keyword that is the whole message wins (STOP must work
 * whatever else the participant is doing); then a diary reply (`D …`), then a complaint
 * (`P …`, in every language's spelling of "problem"); anything else is unknown and gets a
 * short help reply (rate-limited by the caller).
 */
export type InboundIntent =
  | { kind: 'stop' | 'start' | 'help' | 'forget' | 'forgetConfirm' }
  | { kind: 'diary'; answers: Record<string, AnswerValue> }
  | { kind: 'diaryInvalid'; problem: 'format' | 'range' }
  | { kind: 'complaint'; text: string }
  | { kind: 'unknown' };

const COMPLAINT = /^\s*(p|problem|tatizo|সমস্যা)(?=[\s:.,!-]|$)[\s:.,!-]*/iu;
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
    return body ? { kind: 'complaint', text: body } : { kind: 'unknown' };
  }
  return { kind: 'unknown' };
}
