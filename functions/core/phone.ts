import { type CountryCode, isSupportedCountry, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import metadata from './phone-metadata.json' with { type: 'json' };

/**
 * Normalises a phone number to E.164 (`+254712345678`), reading national formats with the
 * study's country as the default region. Returns undefined for anything that is not a
 * valid number, so callers decide how to tell the user. Uses metadata for the countries
 * Sauti serves only (see infra/phone-metadata.ts): a number elsewhere is not valid.
 */
export function toE164(raw: string, defaultCountry?: string): string | undefined {
  const cacheKey = `${defaultCountry ?? ''}|${raw}`;
  if (memo.has(cacheKey)) return memo.get(cacheKey);
  const result = parse(raw, defaultCountry);
  // Bounded: a warm Lambda sees each caller's number on every hop of a session.
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(cacheKey, result);
  return result;
}

const MEMO_LIMIT = 2000;
const memo = new Map<string, string | undefined>();

function parse(raw: string, defaultCountry: string | undefined): string | undefined {
  const options = defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : {};
  const parsed = parsePhoneNumberFromString(raw.trim(), options, metadata as unknown as MetadataJson);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * Why a study's country cannot be used (undefined: it can): it must be an ISO 3166-1 alpha-2
 * code, and one whose numbers Sauti can read, or every enrolment would fail later.
 */
export function countryProblem(country: string): string | undefined {
  const name = /^[A-Z]{2}$/.test(country) ? new Intl.DisplayNames(['en'], { type: 'region' }).of(country) : undefined;
  if (!name || name === country || name === 'Unknown Region') return `"${country}" is not an ISO 3166-1 country code (two capital letters, e.g. KE for Kenya).`;
  if (!isSupportedCountry(country as CountryCode, metadata as unknown as MetadataJson)) {
    const known = Object.keys((metadata as unknown as { countries: Record<string, unknown> }).countries).sort().join(', ');
    return `${country} (${name}) is not a country whose phone numbers Sauti reads; supported: ${known}.`;
  }
  return undefined;
}
