/**
 * Generates functions/core/phone-metadata.json: libphonenumber-js's "min" metadata cut down
 * to the countries Sauti serves. The full metadata is 83 KB minified and would double the
 * USSD bundle's own code; libphonenumber-js supports custom metadata through its `core` entry.
 * Run `npm run phone:metadata` after adding a country or upgrading libphonenumber-js
 * (a test fails while the committed file is stale).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Africa's Talking markets, plus Bangladesh (Bengali content, a local SMS aggregator later).
 * Add a country here and run `npm run phone:metadata`; India alone would add 3 KB to every bundle.
 */
export const PHONE_COUNTRIES = ['KE', 'UG', 'TZ', 'RW', 'NG', 'MW', 'ZM', 'ET', 'GH', 'CI', 'CM', 'SN', 'ZA', 'BD'] as const;

export const phoneMetadataPath = fileURLToPath(new URL('../functions/core/phone-metadata.json', import.meta.url));

interface Metadata {
  version: number;
  country_calling_codes: Record<string, string[]>;
  countries: Record<string, unknown>;
  nonGeographic?: Record<string, unknown>;
}

export function buildPhoneMetadata(): string {
  const require = createRequire(import.meta.url);
  const full = require('libphonenumber-js/metadata.min.json') as Metadata;
  const keep = new Set<string>(PHONE_COUNTRIES);
  const countries = Object.fromEntries(Object.entries(full.countries).filter(([c]) => keep.has(c)));
  const callingCodes = Object.fromEntries(
    Object.entries(full.country_calling_codes)
      .map(([code, list]) => [code, list.filter((c) => keep.has(c))] as const)
      .filter(([, list]) => list.length > 0),
  );
  return `${JSON.stringify({ version: full.version, country_calling_codes: callingCodes, countries, nonGeographic: {} })}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const next = buildPhoneMetadata();
  const previous = (() => {
    try {
      return readFileSync(phoneMetadataPath, 'utf8');
    } catch {
      return '';
    }
  })();
  writeFileSync(phoneMetadataPath, next);
  console.log(`${phoneMetadataPath}: ${next.length} bytes${previous === next ? ' (unchanged)' : ''}`);
}
