import { describe, expect, it } from 'vitest';
import type { RecipientOutcome, SmsBatch, SmsGateway } from '../../functions/core/ports/sms.js';
import { providerKey } from '../../functions/core/sms/idempotency.js';
import { capabilityWarnings, messagingProblems, providerOf, senderOf } from '../../functions/core/sms/providers.js';
import { ProviderRouter } from '../../functions/core/sms/router.js';
import { type OutboundMessage, sendMessages } from '../../functions/core/sms/send.js';
import { dhakaStudy } from '../../infra/local/demo.js';
import { NOW, participant, study } from '../support/fixtures.js';

function recorder(name: string, log: { name: string; batch: SmsBatch }[]): SmsGateway {
  return {
    async sendBulk(batch) {
      log.push({ name, batch });
      return new Map<string, RecipientOutcome>(batch.to.map((to) => [to, { status: 'accepted', providerId: `${name}-${to}` }]));
    },
  };
}

describe('SMS providers per study', () => {
  it('refuses a provider that does not serve the country, and takes the ones that do', () => {
    expect(messagingProblems('BD', { provider: 'africastalking' })).toEqual(["Africa's Talking does not serve BD; use Infobip or SSL Wireless."]);
    expect(messagingProblems('KE', { provider: 'sslwireless' })).toHaveLength(1);
    expect(messagingProblems('BD', { provider: 'sslwireless', masked: false })).toEqual([]);
    expect(messagingProblems('BD', { provider: 'infobip' })).toEqual([]);
    expect(messagingProblems('KE', { provider: 'infobip', masked: true })).toEqual(['"masked" applies to Bangladeshi sender ids only.']);
  });

  it('defaults by country, and messaging.from wins over the older smsFrom', () => {
    expect(providerOf({ country: 'BD' })).toBe('sslwireless');
    expect(providerOf({ country: 'KE' })).toBe('africastalking');
    expect(providerOf({ country: 'KE', messaging: { provider: 'infobip' } })).toBe('infobip');
    expect(senderOf({ smsFrom: 'OLD', messaging: { provider: 'infobip', from: 'NEW' } })).toBe('NEW');
    expect(senderOf({ smsFrom: 'OLD' })).toBe('OLD');
  });

  it('warns about SMS replies on a one-way route and about missing delivery reports, only where SMS go', () => {
    const dhaka = dhakaStudy(NOW);
    expect(capabilityWarnings(dhaka, { sms: true, smsReplies: true }).map((w) => w.slice(0, 40))).toEqual([
      'SSL Wireless routes in BD are one-way: p', 'SSL Wireless sends no delivery reports: ',
    ]);
    expect(capabilityWarnings(dhaka, { sms: false, smsReplies: false })).toEqual([]);
    expect(capabilityWarnings({ country: 'BD', messaging: { provider: 'infobip', masked: false } }, { sms: true, smsReplies: false, languages: ['bn', 'en'] })).toEqual([
      'A non-masked (promotional) sender in Bangladesh must send Bangla Unicode only: texts in other languages may be refused.',
    ]);
    expect(capabilityWarnings(study(), { sms: true, smsReplies: true })).toEqual([]);
  });

  it('one sender routes each study to its provider, with each message id and the provider\'s batch limit', async () => {
    const log: { name: string; batch: SmsBatch }[] = [];
    const router = new ProviderRouter({ africastalking: recorder('at', log), infobip: recorder('ib', log), sslwireless: recorder('ssl', log) });
    const kenya = study();
    const dhaka = dhakaStudy(NOW);
    const ke = Array.from({ length: 3 }, (_, i) => participant({ phone: `+25471100000${i}`, participantId: `k${i}` }));
    const bd = Array.from({ length: 150 }, (_, i) => participant({ studyId: dhaka.studyId, phone: `+8801711${String(i).padStart(6, '0')}`, participantId: `b${i}` }));
    const msg = (p: (typeof ke)[number]): OutboundMessage => ({ messageId: `prompt#${p.studyId}#W48#${p.participantId}#0`, studyId: p.studyId, participantId: p.participantId, phone: p.phone, text: 'Diary', treatmentOnly: false });
    const results = await sendMessages([...ke, ...bd].map(msg), {
      gateway: router,
      participants: { getMany: async () => [...ke, ...bd] },
      studies: { getStudy: async (id) => (id === dhaka.studyId ? dhaka : kenya) },
      batchSize: 500,
      now: new Date('2026-11-27T09:00:00Z'), // daytime in Nairobi and Dhaka: nothing held for quiet hours
    });
    expect(log.map((l) => [l.name, l.batch.to.length])).toEqual([['at', 3], ['ssl', 100], ['ssl', 50]]);
    expect(log[1]?.batch.messageIds?.['+8801711000007']).toBe(`prompt#${dhaka.studyId}#W48#b7#0`);
    expect(results.get(`prompt#${dhaka.studyId}#W48#b7#0`)).toEqual({ status: 'sent', providerId: 'ssl-+8801711000007' });
  });

  it('derives a short, stable idempotency key from a message id', () => {
    const key = providerKey('prompt#dhaka-2026#2026-W48#dhaka-001#0');
    expect(key).toMatch(/^[0-9a-f]{20}$/);
    expect(providerKey('prompt#dhaka-2026#2026-W48#dhaka-001#0')).toBe(key);
    expect(providerKey('prompt#dhaka-2026#2026-W49#dhaka-001#0')).not.toBe(key);
  });
});
