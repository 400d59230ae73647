import { content } from '../../content/index.js';
import type { Participant, Provider, Study } from '../../functions/core/model.js';

/** The demo study every fresh local stack starts with, so the USSD menu can be tried at once. */
export const DEMO_SERVICE_CODE = '*384*123#';
/** The short code the Kenyan demo study's participants text (incoming SMS). */
export const DEMO_SMS_SHORT_CODE = '20880';

/** Both demo studies compare lessons with a diary-only control, in equal arms. */
const DEMO_ARMS: Study['arms'] = [
  { armId: 'treatment', name: 'Education modules', ratio: 1, treatment: true },
  { armId: 'control', name: 'Diary only', ratio: 1, treatment: false },
];

export function demoStudy(serviceCode: string, now: Date): Study {
  return withDemoArms({
    studyId: 'athi-river-2026',
    name: 'Athi River garment workers — digital wages',
    country: 'KE',
    timeZone: 'Africa/Nairobi',
    languages: ['en', 'sw'],
    serviceCode,
    smsShortCode: DEMO_SMS_SHORT_CODE,
    messaging: { provider: 'africastalking' },
    smsCost: { perSegment: 0.8, currency: 'KES' },
    contact: '0800 720 123',
  }, providers([
    ['mpesa', 'M-Pesa', 'mobile_money'],
    ['airtel_money', 'Airtel Money', 'mobile_money'],
    ['equity', 'Equity Bank', 'bank'],
    ['kcb', 'KCB Bank', 'bank'],
    ['coop', 'Co-op Bank', 'bank'],
    ['agent', 'An agent', 'agent'],
  ]), now);
}

/** A demo study: its own fields, then the shared arms, its providers and the time it was made (in a study's field order). */
function withDemoArms(own: Omit<Study, 'arms' | 'providers' | 'createdAt'>, providerList: Study['providers'], now: Date): Study {
  return { ...own, arms: DEMO_ARMS, providers: providerList, createdAt: now.toISOString() };
}

/** Providers a participant can complain about, one row each: id, name, kind. */
function providers(rows: readonly (readonly [string, string, Provider['kind']])[]): Provider[] {
  return rows.map(([id, name, kind]) => ({ id, name, kind }));
}

/**
 * A second, Bengali-speaking demo study (Dhaka garment workers) on SSL Wireless, the
 * Bangladeshi aggregator (Africa's Talking does not serve Bangladesh). Its route is one-way:
 * prompts and reminders offer USSD only (the `…OneWay` texts), never an SMS diary reply. The
 * short code stays for trying Bengali keywords in the local simulator; the campaign preview
 * says that nothing texted to it arrives over SSL Wireless.
 */
export const DHAKA_SERVICE_CODE = '*384*880#';
export const DHAKA_SMS_SHORT_CODE = '26880';

export function dhakaStudy(now: Date): Study {
  return withDemoArms({
    studyId: 'dhaka-2026',
    name: 'Dhaka garment workers - digital wages',
    country: 'BD',
    timeZone: 'Asia/Dhaka',
    languages: ['bn', 'en'],
    serviceCode: DHAKA_SERVICE_CODE,
    smsShortCode: DHAKA_SMS_SHORT_CODE,
    // A masked (brand) sender: the prompts and receipts are transactional, and may be in English.
    messaging: { provider: 'sslwireless', from: 'SAUTI', masked: true },
    smsCost: { perSegment: 0.35, currency: 'BDT' },
    contact: '09600 000 000',
  }, providers([
    ['bkash', 'bKash', 'mobile_money'],
    ['nagad', 'Nagad', 'mobile_money'],
    ['rocket', 'Rocket', 'mobile_money'],
    ['dbbl', 'DBBL', 'bank'],
    ['agent', 'Agent', 'agent'],
  ]), now);
}

const FACTORIES = ['factory-a', 'factory-b', 'factory-c'];
export const DEMO_PARTICIPANTS = 36;

/**
 * Synthetic, already-consented participants spread over three factories (clusters) and two
 * shifts (strata). Arms alternate within each factory so the demo has both arms everywhere;
 * this is demo data, not a randomization (that comes with the research workflow).
 */
export function demoParticipants(study: Study, now: Date): Participant[] {
  const stamp = now.toISOString();
  const bangladesh = study.country === 'BD';
  return Array.from({ length: DEMO_PARTICIPANTS }, (_, i) => {
    const n = i + 1;
    return {
      studyId: study.studyId,
      participantId: `${bangladesh ? 'dhaka' : 'demo'}-${String(n).padStart(3, '0')}`,
      phone: bangladesh ? `+8801700000${String(n).padStart(3, '0')}` : `+2547000000${String(n).padStart(2, '0')}`,
      // Mostly the local language (Kiswahili, Bengali); every third participant English.
      lang: n % 3 === 0 ? 'en' : (study.languages.find((l) => l !== 'en') ?? 'en'),
      consent: { state: 'consented', version: content.consent.version, at: stamp, channel: 'import' },
      armId: Math.floor(i / FACTORIES.length) % 2 === 0 ? 'treatment' : 'control',
      stratum: n % 2 === 0 ? 'night-shift' : 'day-shift',
      cluster: FACTORIES[i % FACTORIES.length] as string,
      source: 'seed',
      createdAt: stamp,
      updatedAt: stamp,
    } satisfies Participant;
  });
}
