/**
 * GSM 03.38 character counting. Hand-written because no maintained npm library gives both
 * the extension-table rule and a USSD limit check without pulling in a whole SMS toolkit;
 * the tables below are the standard's default alphabet and its extension table.
 */

// Default alphabet (one septet each). Written as code points to keep the source ASCII-safe.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

// Extension table: each costs an escape septet plus itself, so counts twice.
const EXTENSION = '^{}\\[~]|€\f';

const basicSet = new Set(Array.from(BASIC));
const extensionSet = new Set(Array.from(EXTENSION));

export type Encoding = 'GSM-7' | 'UCS-2';

/** True when every character of `text` can be sent in GSM-7. */
export function isGsm7(text: string): boolean {
  for (const ch of text) {
    if (!basicSet.has(ch) && !extensionSet.has(ch)) return false;
  }
  return true;
}

export function encodingOf(text: string): Encoding {
  return isGsm7(text) ? 'GSM-7' : 'UCS-2';
}

/**
 * Length in the units the network counts: septets for GSM-7 (extension characters count
 * twice), UTF-16 code units for UCS-2 (a character outside the BMP, such as an emoji, counts two).
 */
export function encodedLength(text: string): { encoding: Encoding; length: number } {
  if (isGsm7(text)) {
    let length = 0;
    for (const ch of text) length += extensionSet.has(ch) ? 2 : 1;
    return { encoding: 'GSM-7', length };
  }
  return { encoding: 'UCS-2', length: text.length };
}

/** Characters that look like ASCII but force UCS-2; offered as a hint in content errors. */
export function nonGsmCharacters(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (!basicSet.has(ch) && !extensionSet.has(ch)) found.add(ch);
  return [...found];
}
