import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { caseFromComplaint, type CaseActor, type ComplaintCase } from '../../functions/core/cases/model.js';
import { caseMessage, caseNotice } from '../../functions/core/cases/notify.js';
import { providerCaseList, providerCaseView } from '../../functions/core/cases/provider-view.js';
import { myProblems, solvedAnswer, statusAnswer, statusQuery } from '../../functions/core/cases/status.js';
import { applyCaseAction } from '../../functions/core/cases/transitions.js';
import type { Complaint } from '../../functions/core/model.js';
import { smsText } from '../../functions/core/sms/text.js';
import { fitsUssd } from '../../functions/core/ussd/limits.js';

const complaint: Complaint = {
  studyId: 's1', participantId: 'p1', phone: '+254700000001', ref: 'AB12CD', provider: 'mpesa', category: 'fees',
  text: 'agent asked 200 extra', week: '2026-W10', at: '2026-03-02T09:00:00.000Z', channel: 'sms', sessionId: 'sms-1',
};
const ngo: CaseActor = { id: 'u-ngo', label: 'amina@ngo.org', role: 'ngo' };
const desk: CaseActor = { id: 'u-desk', label: 'desk', role: 'provider', providerId: 'mpesa' };
let t = 0;
function act(c: ComplaintCase, action: Parameters<typeof applyCaseAction>[1], actor: CaseActor): ComplaintCase {
  const r = applyCaseAction(c, action, actor, { now: new Date(Date.parse('2026-03-02T10:00:00Z') + (t += 1) * 60_000), providers: ['mpesa'], categories: ['fees'] });
  if (!r.ok) throw new Error(r.reason);
  return r.case;
}
const fresh = (extra: Partial<Complaint> = {}) => caseFromComplaint({ ...complaint, ...extra }) as ComplaintCase;
const kenya = { country: 'KE', serviceCode: '*384*123#' };
const dhaka = { country: 'BD', serviceCode: '*384*880#' };
const consented = { consent: { state: 'consented' as const } };

describe('what the participant hears', () => {
  it('an SMS at acknowledgement and at resolution; on a one-way route the texts point to USSD', () => {
    const ackd = act(fresh(), { type: 'acknowledge' }, ngo);
    const ack = ackd.history.at(-1)!;
    expect(caseNotice(ack, ackd, { study: kenya, participant: consented })).toEqual({ key: 'caseAcknowledged', vars: { ref: 'AB12CD', code: '*384*123#' }, reply: false });
    expect(caseNotice(ack, ackd, { study: dhaka, participant: consented })?.key).toBe('caseAcknowledgedOneWay');
    const resolved = act(ackd, { type: 'resolve' }, ngo);
    expect(caseNotice(resolved.history.at(-1)!, resolved, { study: kenya, participant: consented })?.key).toBe('caseResolved');
    expect(caseNotice(resolved.history.at(-1)!, resolved, { study: dhaka, participant: consented })?.key).toBe('caseResolvedOneWay');
    const referred = act(ackd, { type: 'refer' }, ngo);
    expect(caseNotice(referred.history.at(-1)!, referred, { study: kenya, participant: consented })).toBeUndefined();
  });

  it('nothing after STOP, nor to someone no longer on record', () => {
    const ackd = act(fresh(), { type: 'acknowledge' }, ngo);
    expect(caseNotice(ackd.history.at(-1)!, ackd, { study: kenya, participant: { consent: { state: 'withdrawn' } } })).toBeUndefined();
    expect(caseNotice(ackd.history.at(-1)!, ackd, { study: kenya, participant: undefined })).toBeUndefined();
  });

  it('an SMS answer to "Was your problem solved?" is thanked by SMS; a USSD one on its screen', () => {
    const resolved = act(act(fresh(), { type: 'acknowledge' }, ngo), { type: 'resolve' }, ngo);
    const no = act(resolved, { type: 'answer', solved: false }, { id: 'p1', label: 'participant', role: 'participant' });
    expect(caseNotice(no.history.at(-1)!, no, { study: kenya, participant: consented, answeredBy: 'sms' })).toMatchObject({ key: 'caseAnswerNo', reply: true });
    expect(caseNotice(no.history.at(-1)!, no, { study: kenya, participant: consented, answeredBy: 'ussd' })).toBeUndefined();
    expect([solvedAnswer('1'), solvedAnswer(' Ndiyo '), solvedAnswer('২'), solvedAnswer('no.'), solvedAnswer('maybe')]).toEqual([true, true, false, false, undefined]);
  });

  it('texts the message in the participant language with an id per case and step', () => {
    const ackd = act(fresh(), { type: 'acknowledge' }, ngo);
    const notice = caseNotice(ackd.history.at(-1)!, ackd, { study: kenya, participant: consented })!;
    const m = caseMessage(notice, ackd, ackd.history.length - 1, { phone: '+254700000001', lang: 'sw' }, { studyId: 's1', languages: ['sw', 'en'] }, content);
    expect(m).toMatchObject({ messageId: 'case#s1#AB12CD#p1#0', treatmentOnly: false, phone: '+254700000001' });
    expect(m.text).toBe(smsText(content, 'caseAcknowledged', 'sw', { ref: 'AB12CD', code: '*384*123#' }));
    expect(m.text).toContain('AB12CD');
    expect(m.reply).toBeUndefined();
  });

  it('one-way texts invite no SMS answer in any language; two-way ones carry the question', () => {
    for (const lang of content.languages) {
      for (const key of ['caseAcknowledgedOneWay', 'caseResolvedOneWay'] as const) {
        const text = smsText(content, key, lang, { ref: 'AB12CD', code: '*384*880#' });
        expect(text).toContain('*384*880#');
        expect(text).not.toMatch(/P AB12CD|\b1\b.*\b2\b|repl|jibu|উত্তর/i);
      }
      expect(smsText(content, 'caseResolved', lang, { ref: 'AB12CD', code: '' })).toMatch(/1 .+ 2 /);
    }
  });
});

describe('status queries', () => {
  it('reads P <ref> (read-alike letters mapped back), and not a complaint of several words', () => {
    expect(statusQuery('P ab12cd')).toEqual({ ref: 'AB12CD', certain: true });
    expect(statusQuery('tatizo AB1ZCO')).toEqual({ ref: 'AB1ZC0', certain: true });
    expect(statusQuery('P AGENTS')).toEqual({ ref: 'AGENTS', certain: false });
    expect(statusQuery('P agent has no cash')).toBeUndefined();
    expect(statusQuery('P')).toBeUndefined();
    expect(statusQuery('D 8000 M 200 500')).toBeUndefined();
  });

  it("answers from the sender's own cases; someone else's reference is as unknown as a wrong one", () => {
    const mine = act(fresh(), { type: 'acknowledge' }, ngo);
    const theirs = fresh({ participantId: 'p2', ref: 'XY34ZW' });
    expect(statusAnswer('ab12cd', [mine])).toEqual({ key: 'caseStatusOpen', vars: { ref: 'AB12CD' } });
    // The function is only ever given the sender's cases; another's existing case changes nothing.
    const other = statusAnswer('XY34ZW', [mine]);
    const wrong = statusAnswer('QQ99QQ', [mine]);
    expect(other.key).toBe('caseNotFound');
    expect(wrong.key).toBe(other.key);
    expect(smsText(content, other.key, 'en', other.vars).replace('XY34ZW', '#')).toBe(smsText(content, wrong.key, 'en', wrong.vars).replace('QQ99QQ', '#'));
    expect(theirs.participantId).not.toBe(mine.participantId);
  });

  it('a merged repeat answers with the case it joined; "My problems" lists each problem once, newest first', () => {
    const primary = act(act(fresh(), { type: 'acknowledge' }, ngo), { type: 'refer' }, ngo);
    const repeat = fresh({ ref: 'RP11AT', at: '2026-03-03T09:00:00.000Z' });
    const merged = applyCaseAction(repeat, { type: 'merge', into: 'AB12CD' }, ngo, { now: new Date('2026-03-03T10:00:00Z'), providers: ['mpesa'], categories: ['fees'], mergeTarget: primary });
    if (!merged.ok) throw new Error(merged.reason);
    expect(statusAnswer('RP11AT', [primary, merged.case]).key).toBe('caseStatusReferred');
    const later = fresh({ ref: 'NEW222', at: '2026-03-05T09:00:00.000Z' });
    expect(myProblems([primary, merged.case, later]).map((p) => p.ref)).toEqual(['NEW222', 'AB12CD']);
  });

  it('every status answer fits a USSD END screen in every language', () => {
    for (const key of ['caseStatusOpen', 'caseStatusReferred', 'caseStatusResolved', 'caseStatusUnresolved', 'caseStatusClosed', 'caseNotFound'] as const) {
      for (const lang of content.languages) expect(fitsUssd(`END ${smsText(content, key, lang, { ref: 'ABC123' })}`), `${key} ${lang}`).toBe(true);
    }
  });
});

describe("the provider's view", () => {
  const referred = act(act(fresh(), { type: 'acknowledge', note: 'internal: she sounded upset' }, ngo), { type: 'refer', note: 'please check the agent at Gate 3' }, ngo);

  it('is pseudonymous, without the phone unless shared for this case, without internal notes', () => {
    const view = providerCaseView(referred, desk, '+254700000001')!;
    expect(view).toMatchObject({ ref: 'AB12CD', state: 'referred', category: 'fees', text: 'agent asked 200 extra' });
    expect(view.phone).toBeUndefined();
    expect(view.thread).toEqual([{ at: referred.referredAt, from: 'ngo', note: 'please check the agent at Gate 3' }]);
    expect(JSON.stringify(view)).not.toMatch(/p1|amina|upset|u-ngo/);
    expect(providerCaseView({ ...referred, shareNumber: true }, desk, '+254700000001')?.phone).toBe('+254700000001');
  });

  it("another provider's case, or one not referred yet, is not found", () => {
    expect(providerCaseView(referred, { role: 'provider', providerId: 'kcb' })).toBeUndefined();
    expect(providerCaseView(fresh(), desk)).toBeUndefined();
    expect(providerCaseView(referred, { role: 'ngo' })).toBeUndefined();
    expect(providerCaseList([referred, fresh({ ref: 'ZZ00ZZ' }), { ...referred, ref: 'KC0001', provider: 'kcb' }], desk).map((v) => v.ref)).toEqual(['AB12CD']);
  });
});

