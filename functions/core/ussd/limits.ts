import { encodedLength, type Encoding } from '../text/gsm7.js';

/**
 * A USSD screen, prefix included, must fit 160 GSM-7 characters or 80 UCS-2 characters
 * (docs/design.md). Operators accept up to 182 septets, but handsets and tools truncate above 160.
 */
export const USSD_LIMIT: Record<Encoding, number> = { 'GSM-7': 160, 'UCS-2': 80 };

export function fitsUssd(screen: string): boolean {
  const { encoding, length } = encodedLength(screen);
  return length <= USSD_LIMIT[encoding];
}

export class ScreenTooLongError extends Error {
  constructor(
    readonly screen: string,
    readonly length: number,
    readonly limit: number,
  ) {
    super(`USSD screen of ${length} characters exceeds the limit of ${limit}: ${JSON.stringify(screen.slice(0, 40))}…`);
    this.name = 'ScreenTooLongError';
  }
}

/** Throws when the screen does not fit: the renderer calls this on every screen it builds. */
export function assertFitsUssd(screen: string): string {
  const { encoding, length } = encodedLength(screen);
  const limit = USSD_LIMIT[encoding];
  if (length > limit) throw new ScreenTooLongError(screen, length, limit);
  return screen;
}
