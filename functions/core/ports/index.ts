/**
 * Every port of the core, one file per concern. An adapter `implements` one or more of them
 * (functions/adapters/…); a use case names the ports it needs. `dynamoPorts`
 * (adapters/dynamo/ports.ts) builds the DynamoDB ones of every environment.
 */
export type * from './audit.js';
export type * from './callbacks.js';
export type * from './campaigns.js';
export * from './cases.js';
export * from './clock.js';
export type * from './complaints.js';
export type * from './console.js';
export type * from './diary.js';
export type * from './directory.js';
export type * from './enumeration.js';
export type * from './exports.js';
export { EXPORT_WEEK_FIELDS } from './exports.js';
export type * from './forget.js';
export type * from './logger.js';
export type * from './messages.js';
export type * from './participants.js';
export type * from './queue.js';
export type * from './randomization.js';
export type * from './retention.js';
export type * from './sessions.js';
export type * from './sms.js';
export type * from './studies.js';
export * from './payouts.js';
export type * from './voice.js';
