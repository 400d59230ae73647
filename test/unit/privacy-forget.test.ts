import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Participant } from '../../functions/core/model.js';
import {
  FORGET_CONFIRM_WINDOW_MS, forgetConfirmable, forgottenComplaint, forgottenParticipant, forgottenWeek, mentionsPhone, phoneVariants, redactText, redactedFields,
} from '../../functions/core/privacy/forget.js';
import { retentionCutoff, expired, studyOfCallback } from '../../functions/core/privacy/retention.js';
import { participant, study } from '../support/fixtures.js';

describe('forget: what stays of a participant', () => {
  const p: Participant = participant({
    participantId: 'p_1', phone: '+254712345678', armId: 'treatment', stratum: 'A', cluster: 'f1',
    reminder: { day: 3, hour: 18 }, forgetRequest: { at: '2026-11-23T08:00:00Z', smsId: 's1' },
    baseline: { questionnaireId: 'baseline', questionnaireVersion: 1, answers: { age: 30 }, answeredAt: '2026-11-01T00:00:00Z', channel: 'ussd' },
  });

  it('keeps the research record, drops the number and the personal preferences, withdraws consent', () => {
    const f = forgottenParticipant(p, { at: '2026-11-24T00:00:00Z', by: 'admin', pseudonym: 'abc' });
    expect(f).toMatchObject({ participantId: 'p_1', armId: 'treatment', stratum: 'A', cluster: 'f1', baseline: p.baseline, phone: 'forgotten:p_1', consent: { state: 'withdrawn' }, forgotten: { by: 'admin', pseudonym: 'abc' } });
    expect(f.reminder).toBeUndefined();
    expect(f.forgetRequest).toBeUndefined();
    expect(mentionsPhone(f, phoneVariants(p.phone))).toBe(false);
  });

  it('keeps diary answers without the conversation, complaints without their words', () => {
    const w = forgottenWeek({ studyId: 's', participantId: 'p_1', phone: p.phone, week: '2026-W48', studyWeek: 0, questionnaireId: 'diary', questionnaireVersion: 1, answers: { a: { value: 1, at: 'x', channel: 'sms' } }, complete: false, version: 1, createdAt: 'x', updatedAt: 'x', conversation: { sessionId: 'u', state: {} as never, lastText: '1*0712345678', lastResponse: 'END', startedAt: 'x', updatedAt: 'x' } });
    expect(w.answers).toEqual({ a: { value: 1, at: 'x', channel: 'sms' } });
    expect(w.conversation).toBeUndefined();
    const c = forgottenComplaint({ studyId: 's', participantId: 'p_1', phone: p.phone, ref: 'R1', provider: 'mpesa', category: 'fees', text: 'call me on 0712345678', week: 'w', at: 'x', channel: 'sms', sessionId: 's1' });
    expect(c).toMatchObject({ provider: 'mpesa', category: 'fees', phone: 'forgotten:p_1' });
    expect(c.text).toBeUndefined();
  });

  it('writes the number in every form it is found in', () => {
    expect(phoneVariants('+254712345678')).toEqual(['+254712345678', '254712345678', '0712345678', '712345678']);
    expect(phoneVariants('+8801712345678')).toEqual(['+8801712345678', '8801712345678', '01712345678', '1712345678']);
  });

  it('redacts every form of any number from any text (property)', () => {
    const kenyan = fc.integer({ min: 100_000_000, max: 799_999_999 }).map((n) => `+254${n}`);
    fc.assert(
      fc.property(kenyan, fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), (phone, filler, forms) => {
        const variants = phoneVariants(phone);
        const text = forms.map((f, i) => `${filler[i] ?? ''} ${variants[f]}`).join(' ');
        const out = redactText(text, variants, 'forgotten:p_1');
        expect(variants.some((v) => out.includes(v))).toBe(false);
      }),
    );
  });

  it('drops typed bodies from raw callbacks and masks the number in the rest', () => {
    const v = phoneVariants('+254712345678');
    expect(redactedFields({ from: '+254712345678', to: '20880', text: 'D 8000', id: 'x' }, v, 'M')).toEqual({ from: 'M', to: '20880', id: 'x' });
    expect(redactedFields({ phoneNumber: '+254712345678', input: '1*2', lastAppResponse: 'END', errorMessage: 'for 0712345678', status: 'Failed' }, v, 'M')).toEqual({ phoneNumber: 'M', errorMessage: 'for M', status: 'Failed' });
  });

  it('confirms a request only within 24 hours of it', () => {
    const at = Date.parse('2026-11-23T08:00:00Z');
    const req = { forgetRequest: { at: new Date(at).toISOString(), smsId: 's' } };
    expect(forgetConfirmable(req, new Date(at + FORGET_CONFIRM_WINDOW_MS))).toBe(true);
    expect(forgetConfirmable(req, new Date(at + FORGET_CONFIRM_WINDOW_MS + 1))).toBe(false);
    expect(forgetConfirmable(req, new Date(at - 1))).toBe(false);
    expect(forgetConfirmable({}, new Date(at))).toBe(false);
  });
});

describe('retention', () => {
  const now = new Date('2026-12-31T00:00:00Z');

  it('cuts at N days, only for studies that set it', () => {
    expect(retentionCutoff(study(), now)).toBeUndefined();
    const cutoff = retentionCutoff(study({ retention: { rawSmsDays: 30 } }), now);
    expect(cutoff?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(expired('2026-11-30T23:59:59Z', cutoff)).toBe(true);
    expect(expired('2026-12-01T00:00:00Z', cutoff)).toBe(false);
    expect(expired(undefined, cutoff)).toBe(false);
  });

  it('finds the study of an SMS by short code and of a USSD event by service code; reports belong to none', () => {
    const a = study({ studyId: 'a', serviceCode: '*1#', smsShortCode: '111' });
    const b = study({ studyId: 'b', serviceCode: '*2#' });
    expect(studyOfCallback('sms-inbound', { to: '111' }, [a, b])?.studyId).toBe('a');
    expect(studyOfCallback('sms-inbound', { to: '222' }, [a, b])).toBeUndefined();
    expect(studyOfCallback('ussd-event', { serviceCode: '*2#' }, [a, b])?.studyId).toBe('b');
    expect(studyOfCallback('sms-delivery', { to: '111', serviceCode: '*1#' }, [a, b])).toBeUndefined();
  });
});
