import type { Content, SmsTextKey } from '../content/schema.js';
import { type DiaryAnswer, nextWeekRecord, type WeekRecord } from '../diary/week-record.js';
import { gatewayE164 } from '../gateway-phone.js';
import type { Lang, Participant, Study } from '../model.js';
import type { Clock } from '../ports/clock.js';
import type { OnceStore } from '../ports/callbacks.js';
import type { ComplaintStore } from '../ports/complaints.js';
import type { CaseStore } from '../ports/cases.js';
import { actOnCase, caseContext } from '../cases/service.js';
import { statusAnswer } from '../cases/status.js';
import type { DiaryWeekStore } from '../ports/diary.js';
import type { Logger } from '../ports/logger.js';
import type { ParticipantStore } from '../ports/participants.js';
import type { HopReader } from '../ports/sessions.js';
import { withdrawConsent } from '../enrol/withdraw-consent.js';
import { weekOf } from '../ussd/participant-hop.js';
import { complaintRef } from '../ussd/problem-flow.js';
import { messageId } from '../schedule/policy.js';
import { forgetConfirmable } from '../privacy/forget.js';
import { interpretInbound } from './inbound.js';
import type { OutboundMessage } from './send.js';
import { smsText } from './text.js';

/** An incoming SMS as Africa's Talking posts it (the fields Sauti uses). */
export interface InboundSms {
  /** AT's message id: the handler stores each id once, so a resent callback does nothing. */
  id: string;
  from: string;
  text: string;
}

export interface InboundDeps {
  study: Study;
  /** The same records a USSD hop reads and writes: an SMS reply lands in this week's diary. */
  store: HopReader & Pick<ParticipantStore, 'saveParticipant'> & Pick<DiaryWeekStore, 'saveWeek'> & ComplaintStore;
  content: Content;
  clock: Clock;
  log: Logger;
  /** Rate-limits help replies (one a day a number). */
  once: OnceStore;
  /** The sender's own cases: `P <ref>` and the answer to "Was your problem solved?". */
  cases: CaseStore;
}

/** The reply to send, if any, in the participant's language (sending is the sender's job). */
export interface InboundReply {
  to: string;
  /** Absent when the sender is not in the study. */
  participantId?: string;
  lang: Lang;
  key: SmsTextKey;
  vars: Record<string, string>;
  /** The single message allowed after STOP. */
  stopConfirmation?: boolean;
  /**
   * Confirmed "forget me": the participant to forget once this reply is recorded and queued
   * (forgetting after, so that the recorded reply is redacted along with everything else).
   */
  forget?: Participant;
}

/**
 * Applies an incoming SMS: STOP (then silence), START, HELP, FORGET (then YES FORGET within
 * 24 hours: the caller forgets them after queueing the reply), a diary reply into this week's
 * diary (the same record USSD answers go to, channel `sms`), a complaint, or a help reply at
 * most once a day. Returns the reply to send, or undefined for none.
 */
export async function handleInboundSms(sms: InboundSms, deps: InboundDeps): Promise<InboundReply | undefined> {
  const phone = gatewayE164(sms.from);
  if (!phone) {
    deps.log.warn('incoming SMS from an invalid number', { id: sms.id });
    return undefined;
  }
  // Narrowed for the helpers below (a closure does not keep the narrowing of `phone`).
  const sender: string = phone;
  const now = deps.clock.now();
  const week = weekOf({ study: deps.study, now });
  const { participant, week: record } = await deps.store.loadHop('-', deps.study.studyId, phone, week.id, now);
  const lang = participant?.lang ?? deps.study.languages[0] ?? 'en';
  const reply = (key: SmsTextKey, vars: Record<string, string> = {}, extra: Partial<InboundReply> = {}): InboundReply => ({
    to: phone, lang, key, vars: { code: deps.study.serviceCode, ...vars }, ...extra,
    ...(participant ? { participantId: participant.participantId } : {}),
  });
  const stamp = now.toISOString();
  const intent = interpretInbound(sms.text, deps.content);
  const consented = participant?.consent.state === 'consented';

  switch (intent.kind) {
    case 'stop':
      // After STOP, nothing but this one confirmation; a second STOP gets silence.
      if (!participant || !consented) return undefined;
      await deps.store.saveParticipant({ ...withdrawConsent(participant, { at: stamp, channel: 'sms', sessionId: sms.id }), updatedAt: stamp }, participant.updatedAt);
      deps.log.info('participant stopped by SMS', { id: sms.id });
      return reply('stopConfirmation', {}, { stopConfirmation: true });
    case 'start':
      if (!participant) return reply('notEnrolled');
      if (participant.consent.state === 'withdrawn') {
        await deps.store.saveParticipant({ ...participant, consent: { ...participant.consent, state: 'consented', at: stamp, channel: 'sms', sessionId: sms.id }, updatedAt: stamp }, participant.updatedAt);
      }
      return participant.consent.state === 'withdrawn' || consented ? reply('startConfirmation') : reply('notEnrolled');
    case 'help':
      return reply('help');
    case 'forget':
      // Anyone still on record may ask, even after STOP: the answer is to their own request.
      if (!participant) return reply('notEnrolled');
      await deps.store.saveParticipant({ ...participant, forgetRequest: { at: stamp, smsId: sms.id }, updatedAt: stamp }, participant.updatedAt);
      deps.log.info('forget requested by SMS', { id: sms.id, participantId: participant.participantId });
      return reply('forgetAsk', {}, { stopConfirmation: true });
    case 'forgetConfirm':
      if (!participant) return reply('notEnrolled');
      if (!forgetConfirmable(participant, now)) return reply('forgetNothing', {}, { stopConfirmation: true });
      deps.log.info('forget confirmed by SMS', { id: sms.id, participantId: participant.participantId });
      return reply('forgetDone', {}, { stopConfirmation: true, forget: participant });
    case 'diary': {
      if (!participant || !consented) return reply('notEnrolled');
      await deps.store.saveWeek(withSmsAnswers(record, participant, intent.answers, { week: week.id, studyWeek: week.studyWeek, stamp, smsId: sms.id, deps }), record?.version);
      return reply('diaryReceived');
    }
    case 'diaryInvalid':
      return reply(intent.problem === 'range' ? 'diaryOutOfRange' : 'diaryInvalid');
    case 'status': {
      if (!participant || !consented) return reply('notEnrolled');
      const own = await deps.cases.listParticipantCases(deps.study.studyId, participant.participantId);
      // A letters-only word that is none of the sender's references is a one-word complaint.
      if (intent.certain || own.some((c) => c.ref === intent.ref)) {
        const answer = statusAnswer(intent.ref, own);
        return reply(answer.key, answer.vars);
      }
      return complaint(intent.text);
    }
    case 'complaint':
      return complaint(intent.text);
    case 'kudos': {
      if (!participant || !consented) return reply('notEnrolled');
      // Counted like a complaint (kind `kudos`), opening no case.
      await deps.store.saveComplaint({
        studyId: deps.study.studyId, participantId: participant.participantId, phone, ref: complaintRef(sms.id), provider: namedProvider(deps.study, intent.text),
        category: 'kudos', kind: 'kudos', week: week.id, at: stamp, channel: 'sms', sessionId: sms.id,
      });
      return reply('kudosReceived');
    }
    case 'solved': {
      const awaiting = participant && consented
        ? (await deps.cases.listParticipantCases(deps.study.studyId, participant.participantId)).filter((c) => c.state === 'resolved').sort((a, b) => (b.resolvedAt ?? '').localeCompare(a.resolvedAt ?? ''))[0]
        : undefined;
      if (!participant || !awaiting) return helpOnce();
      const actor = { id: participant.participantId, label: 'participant', role: 'participant' as const };
      const done = await actOnCase(deps.cases, { studyId: deps.study.studyId, ref: awaiting.ref, action: { type: 'answer', solved: intent.solved }, actor }, caseContext(deps.study, deps.content, now));
      if (!done.ok) return helpOnce();
      return reply(done.step.to === 'closed' ? 'caseAnswerYes' : 'caseAnswerNo', { ref: awaiting.ref });
    }
    case 'unknown':
      return helpOnce();
  }

  async function complaint(text: string): Promise<InboundReply> {
    {
      if (!participant || !consented) return reply('notEnrolled');
      const ref = complaintRef(sms.id);
      await deps.store.saveComplaint({
        studyId: deps.study.studyId, participantId: participant.participantId, phone: sender, ref, provider: 'unknown', category: 'other',
        text, week: week.id, at: stamp, channel: 'sms', sessionId: sms.id,
      });
      return reply('complaintReceived', { ref });
    }
  }

  async function helpOnce(): Promise<InboundReply | undefined> {
    // Auto-responders answer help with more text: one help a day per number breaks the loop.
    return (await deps.once.claimOnce(`help#${sender}#${stamp.slice(0, 10)}`, deps.clock.now())) ? reply('help') : undefined;
  }
}

/** The study's provider a free-text message names (by id or name), else `unknown` for triage. */
function namedProvider(study: Study, text: string): string {
  const t = text.toLowerCase();
  return study.providers.find((p) => t.includes(p.id.toLowerCase()) || t.includes(p.name.toLowerCase()))?.id ?? 'unknown';
}

function withSmsAnswers(
  record: WeekRecord | undefined,
  p: Participant,
  answers: Record<string, DiaryAnswer['value']>,
  at: { week: string; studyWeek: number; stamp: string; smsId: string; deps: InboundDeps },
): WeekRecord {
  const merged: Record<string, DiaryAnswer> = { ...(record?.answers ?? {}) };
  for (const [id, value] of Object.entries(answers)) merged[id] = { value, at: at.stamp, channel: 'sms', sessionId: at.smsId };
  return nextWeekRecord(record, { participant: p, week: at.week, studyWeek: at.studyWeek, form: at.deps.content.diary, stamp: at.stamp }, { answers: merged });
}

/**
 * The reply as a message for the send queue, with a deterministic id from the provider's id of
 * the incoming SMS: a resent callback, or a retried handler, queues the same message.
 */
export function replyMessage(reply: InboundReply, smsId: string, study: Study, content: Content, from?: string): OutboundMessage {
  const participantId = reply.participantId ?? '-';
  return {
    messageId: messageId({ studyId: study.studyId, participantId }, 'reply', smsId),
    studyId: study.studyId,
    participantId,
    phone: reply.to,
    text: smsText(content, reply.key, reply.lang, reply.vars),
    treatmentOnly: false,
    reply: true,
    ...(reply.stopConfirmation ? { stopConfirmation: true } : {}),
    ...(from ? { from } : {}),
  };
}
