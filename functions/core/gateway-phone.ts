import metadata from './phone-metadata.json' with { type: 'json' };

const callingCodes = Object.keys(metadata.country_calling_codes);

/**
 * The caller's number as a gateway reports it. Africa's Talking sends E.164 (`+254…`) by
 * contract, so the USSD hot path checks the shape and that the calling code belongs to a
 * served country, and keeps libphonenumber-js (38 KB) out of its bundle. Numbers that people
 * type (CSV imports, the admin API) go through `toE164`, which knows each number plan.
 */
export function gatewayE164(raw: string): string | undefined {
  const n = raw.replace(/[\s-]/g, '');
  if (!/^\+[1-9]\d{7,14}$/.test(n)) return undefined;
  return callingCodes.some((code) => n.startsWith(`+${code}`)) ? n : undefined;
}
