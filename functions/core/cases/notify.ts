/**
 * What the participant hears about their case, by SMS: the reference at acknowledgement, the
 * resolution with "Was your problem solved? 1 Yes 2 No", and a thank-you for their answer.
 * Nothing after STOP (and the sender checks consent again when it sends). On a one-way route
 * (Bangladesh) a text never asks for an SMS answer that cannot arrive: it points to USSD.
 */
import type { Content, SmsTextKey } from '../content/schema.js';
import type { Participant, Study } from '../model.js';
import type { OutboundMessage } from '../sms/send.js';
import { PROVIDERS, providerOf } from '../sms/providers.js';
import { smsText } from '../sms/text.js';
import type { CaseStep, ComplaintCase } from './model.js';

export interface CaseNotice {
  key: SmsTextKey;
  vars: Record<string, string>;
  /** True for a thank-you to an SMS the participant just sent (it may go during quiet hours). */
  reply: boolean;
}

/** The study's SMS route carries nothing back from participants (core/sms/providers.ts). */
export function oneWayRoute(study: Pick<Study, 'country' | 'messaging'>): boolean {
  return !PROVIDERS[providerOf(study)].twoWay(study.country);
}

/** The SMS a step owes the participant, or undefined (most steps are staff business). */
export function caseNotice(
  step: CaseStep,
  c: ComplaintCase,
  ctx: { study: Pick<Study, 'country' | 'messaging' | 'serviceCode'>; participant: Pick<Participant, 'consent'> | undefined; answeredBy?: 'sms' | 'ussd' },
): CaseNotice | undefined {
  if (ctx.participant?.consent.state !== 'consented') return undefined;
  const oneWay = oneWayRoute(ctx.study);
  const vars = { ref: c.ref, code: ctx.study.serviceCode };
  switch (step.action) {
    case 'acknowledge':
      return { key: oneWay ? 'caseAcknowledgedOneWay' : 'caseAcknowledged', vars, reply: false };
    case 'resolve':
      return { key: oneWay ? 'caseResolvedOneWay' : 'caseResolved', vars, reply: false };
    case 'answer':
      // An answer on USSD is thanked on its END screen; by SMS, with one SMS back.
      if (ctx.answeredBy !== 'sms') return undefined;
      return { key: step.to === 'closed' ? 'caseAnswerYes' : 'caseAnswerNo', vars, reply: true };
    default:
      return undefined;
  }
}

/**
 * The notice as a message for the send queue. Its id names the case and the step's place in
 * the history, so a retried step (or a re-run after a crash) queues the same message once.
 */
export function caseMessage(notice: CaseNotice, c: ComplaintCase, stepIndex: number, p: Pick<Participant, 'phone' | 'lang'>, study: Pick<Study, 'studyId' | 'languages'>, content: Pick<Content, 'sms'>): OutboundMessage {
  return {
    messageId: `case#${c.studyId}#${c.ref}#${c.participantId}#${stepIndex}`,
    studyId: study.studyId,
    participantId: c.participantId,
    phone: p.phone,
    text: smsText(content, notice.key, p.lang ?? study.languages[0] ?? 'en', notice.vars),
    treatmentOnly: false,
    ...(notice.reply ? { reply: true } : {}),
  };
}
