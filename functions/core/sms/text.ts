import type { Content, SmsTextKey } from '../content/schema.js';
import { fill } from '../ussd/text.js';

/** One of the content's SMS texts in a language (English when missing), with its blanks filled. */
export function smsText(content: Pick<Content, 'sms'>, key: SmsTextKey, lang: string, vars: Record<string, string>): string {
  const texts = content.sms?.[key];
  return fill(texts?.[lang] ?? texts?.en ?? '', vars);
}
