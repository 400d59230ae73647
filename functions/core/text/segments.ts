import { encodedLength, type Encoding } from './gsm7.js';

/** Characters per SMS part: single message, and per part of a concatenated one. */
export const SMS_LIMITS: Record<Encoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

export interface SmsSize {
  encoding: Encoding;
  /** Septets (GSM-7, extension characters twice) or UTF-16 code units (UCS-2). */
  length: number;
  /** Parts the network bills for. */
  segments: number;
}

/**
 * How many parts an SMS costs. A concatenated message loses 7 septets (GSM-7) or 3 characters
 * (UCS-2) per part to the header, hence 153 and 67.
 */
export function smsSize(text: string): SmsSize {
  const { encoding, length } = encodedLength(text);
  const { single, part } = SMS_LIMITS[encoding];
  const segments = length === 0 ? 0 : length <= single ? 1 : Math.ceil(length / part);
  return { encoding, length, segments };
}
