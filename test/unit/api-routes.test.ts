import { describe, expect, it } from 'vitest';
import { decodePathParams } from '../../functions/adapters/apigw.js';
import { matchRoute } from '../../functions/api/routes.js';

describe('admin API routes', () => {
  it('decodes path parameters, and matches nothing on a malformed escape (404, not a 500)', () => {
    const ok = matchRoute('GET', '/studies/dhaka%20garment/overview');
    expect(ok !== 'methodNotAllowed' && ok?.params).toEqual({ studyId: 'dhaka garment' });
    for (const bad of ['%E0%A4%A', '%', '%zz', '%ED%A0%80']) expect(matchRoute('GET', `/studies/${bad}/overview`)).toBeUndefined();
    expect(decodePathParams({ a: '%41', b: undefined })).toEqual({ a: 'A', b: '' });
    expect(decodePathParams({ a: 'fine', b: '%E0%A4%A' })).toBeUndefined();
  });
});
