import { createHmac } from 'node:crypto';

/**
 * The single-table key layout (see docs/architecture.md for the access patterns).
 * Every item has `pk` and `sk`; items listed by study also carry `gsi1pk`/`gsi1sk`; items
 * outside a participant's partition that hold their number carry `gsi2pk`/`gsi2sk` (forget-me).
 *
 * No phone number is ever part of a key or an index value: where a key depends on the number
 * it takes its keyed hash (`KeyedHash`, HMAC-SHA-256 with the deployment's phone-key secret), so
 * backups, CloudTrail data events and key-level logs hold no number (issue 15).
 */
const STAFF_PK = 'STAFF';

declare const keyedHashBrand: unique symbol;
/** A value (a phone number, a once-key made of one) as it may appear in a key. */
export type KeyedHash = string & { readonly [keyedHashBrand]: true };
/** The keyed hash of a deployment, its secret already resolved (adapters/phone-key.ts). */
export type PhoneHasher = (value: string) => KeyedHash;

/**
 * HMAC-SHA-256 of the value under the secret, 128 bits in base64url (22 characters): short in
 * every key, and without the secret nobody can test a guessed number against it.
 */
export function keyedHash(secret: string, value: string): KeyedHash {
  return createHmac('sha256', secret).update(value).digest().subarray(0, 16).toString('base64url') as KeyedHash;
}

export const keys = {
  study: (studyId: string) => ({ pk: `STUDY#${studyId}`, sk: 'META' }),
  arm: (studyId: string, armId: string) => ({ pk: `STUDY#${studyId}`, sk: `ARM#${armId}` }),
  /** Every study is listed under one index partition (the dispatcher visits them all). */
  studyIndex: (studyId: string) => ({ gsi1pk: 'STUDIES', gsi1sk: studyId }),
  serviceCode: (serviceCode: string) => ({ pk: `SVC#${serviceCode}`, sk: 'SVC' }),
  /** Incoming SMS to a short code belong to the study that claimed it. */
  smsShortCode: (shortCode: string) => ({ pk: `SMSCODE#${shortCode}`, sk: 'SMSCODE' }),
  /** A randomization run of the study (audit record, write-once assignments refer to it). */
  randomization: (studyId: string, randomizationId: string) => ({ pk: `STUDY#${studyId}#RANDOMIZATION`, sk: `RUN#${randomizationId}` }),
  /** Campaigns live beside the study, not in its partition: reading a study stays one small query. */
  campaign: (studyId: string, campaignId: string) => ({ pk: `STUDY#${studyId}#CAMPAIGNS`, sk: `CAMPAIGN#${campaignId}` }),
  /** A participant's partition, by the keyed hash of their number (the USSD hop knows only the number). */
  participant: (studyId: string, phone: KeyedHash) => ({ pk: `STUDY#${studyId}#PH#${phone}`, sk: 'PROFILE' }),
  participantIndex: (studyId: string, participantId: string) => ({
    gsi1pk: `STUDY#${studyId}#PARTICIPANTS`,
    gsi1sk: participantId,
  }),
  session: (sessionId: string) => ({ pk: `USSD#${sessionId}`, sk: 'SESSION' }),
  /** A participant's diary week, in their partition; indexed by study and week for response rates. */
  week: (studyId: string, phone: KeyedHash, week: string) => ({ pk: `STUDY#${studyId}#PH#${phone}`, sk: `DIARY#${week}` }),
  weekIndex: (studyId: string, week: string, participantId: string) => ({ gsi1pk: `STUDY#${studyId}#DIARY#${week}`, gsi1sk: participantId }),
  /** A complaint, in its reporter's partition; indexed by study and week, sorted by provider. */
  complaint: (studyId: string, phone: KeyedHash, ref: string) => ({ pk: `STUDY#${studyId}#PH#${phone}`, sk: `COMPLAINT#${ref}` }),
  complaintIndex: (studyId: string, week: string, provider: string, ref: string) => ({ gsi1pk: `STUDY#${studyId}#COMPLAINTS#${week}`, gsi1sk: `${provider}#${ref}` }),
  /**
   * A complaint's case, keyed by study and reference (never by phone), written in the same
   * transaction as its complaint; indexed by study and state (the triage queue, the SLA digest).
   */
  case: (studyId: string, ref: string) => ({ pk: `STUDY#${studyId}#CASE#${ref}`, sk: 'CASE' }),
  caseStateIndex: (studyId: string, state: string, receivedAt = '', ref = '') => ({ gsi1pk: `STUDY#${studyId}#CASES#${state}`, gsi1sk: `${receivedAt}#${ref}` }),
  /** Beside the case: its provider's desk entry (rewritten when triage changes the provider). */
  caseDesk: (studyId: string, ref: string) => ({ pk: `STUDY#${studyId}#CASE#${ref}`, sk: 'DESK' }),
  caseDeskIndex: (studyId: string, provider: string, receivedAt = '', ref = '') => ({ gsi1pk: `STUDY#${studyId}#DESK#${provider}`, gsi1sk: `${receivedAt}#${ref}` }),
  /** A participant's cases by participant id, on the primary key: the USSD Lambda reads it without gsi1. */
  participantCase: (studyId: string, participantId: string, ref: string) => ({ pk: `STUDY#${studyId}#PID#${participantId}#CASES`, sk: `CASE#${ref}` }),
  callback: (kind: string, id: string) => ({ pk: `CALLBACK#${kind}#${id}`, sk: 'RAW' }),
  /** A study's audit trail (phone reveals, ...): beside the study, newest last in key order. */
  audit: (studyId: string, at: string, id: string) => ({ pk: `STUDY#${studyId}#AUDIT`, sk: `AUDIT#${at}#${id}` }),
  /**
   * A forgotten participant's research record (PROFILE, DIARY#week, COMPLAINT#ref), moved out
   * of the number-keyed partition to one keyed by the stable participant id.
   */
  forgotten: (studyId: string, participantId: string) => ({ pk: `STUDY#${studyId}#FORGOTTEN#${participantId}` }),
  /** An outbound message, by its deterministic id (schedule/policy.ts `messageId`). */
  message: (messageId: string) => ({ pk: `MSG#${messageId}`, sk: 'MSG' }),
  /**
   * The study's messages, oldest first (exports, the console): written with the message
   * (`createMany`); read by `gsi1pk` alone, hence `messageIndex(studyId).gsi1pk`.
   */
  messageIndex: (studyId: string, createdAt = '', messageId = '') => ({ gsi1pk: `STUDY#${studyId}#MESSAGES`, gsi1sk: `${createdAt}#${messageId}` }),
  /** The provider's id of a message (AT's id, SSL Wireless `csms_id`, Infobip `messageId`) → the message. */
  providerLink: (providerId: string) => ({ pk: `ATMSG#${providerId}`, sk: 'LINK' }),
  /** A once-marker (one help reply a day a number, one retention run a day), by its key's hash: TTL two days. */
  once: (key: KeyedHash) => ({ pk: `ONCE#${key}`, sk: 'ONCE' }),
  /** The local outbox: per number (its hash), newest last in key order; indexed per study. */
  outbox: (to: KeyedHash, at = '', providerId = '') => ({ pk: `OUTBOX#${to}`, sk: `${at}#${providerId}` }),
  outboxIndex: (studyId: string | undefined, at = '', providerId = '') => ({ gsi1pk: `OUTBOX#${studyId ?? '-'}`, gsi1sk: `${at}#${providerId}` }),
  /** Local staff accounts (`STAFF` / `USER#…`) and their bearer tokens, by the token's SHA-256. */
  staffUser: (username: string) => ({ pk: STAFF_PK, sk: `USER#${username}` }),
  staffUsers: () => ({ pk: STAFF_PK }),
  staffToken: (tokenSha256: string) => ({ pk: `STAFFTOKEN#${tokenSha256}`, sk: 'TOKEN' }),
  /** A voice call in progress (TTL a day), its end-of-call record (kept: cost), and the attempt that placed it. */
  voiceCall: (sessionId: string) => ({ pk: `VOICE#${sessionId}`, sk: 'CALL' }),
  voiceEnd: (sessionId: string) => ({ pk: `VOICE#${sessionId}`, sk: 'END' }),
  voicePlaced: (sessionId: string) => ({ pk: `VOICE#${sessionId}`, sk: 'PLACED' }),
  /** A call the dispatcher placed, by its deterministic attempt id (core/voice/outbound.ts); holds no number. */
  callAttempt: (attemptId: string) => ({ pk: `CALL#${attemptId}`, sk: 'CALL' }),
  /** A participant's enumerator assignment (issue 18), beside the study; indexed per enumerator for their call list. */
  assignment: (studyId: string, participantId: string) => ({ pk: `STUDY#${studyId}#ASSIGN`, sk: `P#${participantId}` }),
  assignmentIndex: (studyId: string, enumeratorId: string, participantId = '') => ({ gsi1pk: `STUDY#${studyId}#ENUM#${enumeratorId}`, gsi1sk: participantId }),
  /** A participant's call attempts and interviews of one diary week, all of a week in one partition. */
  callRecord: (studyId: string, week: string, participantId: string) => ({ pk: `STUDY#${studyId}#CALLS#${week}`, sk: `P#${participantId}` }),
} as const;

export const GSI1 = 'gsi1';
/** The number index: keys only, sparse (only items that hold a number outside its partition). */
export const GSI2 = 'gsi2';

/**
 * The number index entry of an item outside the participant's partition that holds their
 * number (an outbound message, a raw callback, a USSD session), so forgetting finds them by
 * one Query instead of a Scan; the sort key is the item's own key.
 */
export const numberIndex = (phone: KeyedHash, pk: string, sk: string) => ({ gsi2pk: `NUM#${phone}`, gsi2sk: `${pk}|${sk}` });

/** Partitions outside the participant's own that can hold their number (found through `numberIndex`). */
export const NUMBER_BEARING_PREFIXES = { message: 'MSG#', callback: 'CALLBACK#', session: 'USSD#', outbox: 'OUTBOX#' } as const;

/** Sort-key prefixes of the items in a participant's partition. */
export const PARTICIPANT_ITEM_PREFIXES = { week: 'DIARY#', complaint: 'COMPLAINT#' } as const;
