import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from './phone-metadata.json' with { type: 'json' };

/**
 * Normalises a phone number to E.164 (`+254712345678`), reading national formats with the
 * study's country as the default region. Returns undefined for anything that is not a
 * valid number, so callers decide how to tell the user. Uses metadata for the countries
 * Sauti serves only (see infra/phone-metadata.ts): a number elsewhere is not valid.
 */
export function toE164(raw: string, defaultCountry?: string): string | undefined {
  const options = defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : {};
  const parsed = parsePhoneNumberFromString(raw.trim(), options, metadata as unknown as MetadataJson);
  return parsed?.isValid() ? parsed.number : undefined;
}
