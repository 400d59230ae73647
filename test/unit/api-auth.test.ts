import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { principalOf } from '../../functions/api/auth.js';

const withClaims = (claims: Record<string, unknown>) => ({ headers: {}, requestContext: { authorizer: { jwt: { claims } } } }) as unknown as APIGatewayProxyEventV2;
const withBearer = (header: string) => ({ headers: { authorization: header }, requestContext: {} }) as unknown as APIGatewayProxyEventV2;
const NOW = Date.parse('2026-11-27T09:00:00Z');
const tokens = JSON.stringify({ t1: { role: 'ngo', name: 'Amina' }, t2: { role: 'superuser' } });

describe('who is calling', () => {
  it('reads roles from Cognito groups, as API Gateway flattens them or as a list', () => {
    expect(principalOf(withClaims({ 'cognito:groups': '[researcher admin]', email: 'r@x.org' }), {}, NOW)).toEqual({ name: 'r@x.org', roles: ['researcher', 'admin'] });
    expect(principalOf(withClaims({ 'cognito:groups': ['ngo'], sub: 'abc' }), {}, NOW)).toEqual({ name: 'abc', roles: ['ngo'] });
    // A signed-in user in no Sauti group has no role at all.
    expect(principalOf(withClaims({ 'cognito:groups': '[staff]' }), {}, NOW)).toBeUndefined();
  });

  it('accepts local bearer tokens only when configured, and only known roles', () => {
    expect(principalOf(withBearer('Bearer t1'), { SAUTI_API_TOKENS: tokens }, NOW)).toEqual({ name: 'Amina', roles: ['ngo'] });
    expect(principalOf(withBearer('Bearer t1'), {}, NOW)).toBeUndefined();
    expect(principalOf(withBearer('Bearer t2'), { SAUTI_API_TOKENS: tokens }, NOW)).toBeUndefined();
    expect(principalOf(withBearer('Bearer toString'), { SAUTI_API_TOKENS: tokens }, NOW)).toBeUndefined();
    expect(principalOf(withBearer('t1'), { SAUTI_API_TOKENS: tokens }, NOW)).toBeUndefined();
  });
});
