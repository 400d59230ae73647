import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { actor, principalOf } from '../../functions/api/auth.js';

const withClaims = (claims: Record<string, unknown>) => ({ headers: {}, requestContext: { authorizer: { jwt: { claims } } } }) as unknown as APIGatewayProxyEventV2;
const withBearer = (header: string) => ({ headers: { authorization: header }, requestContext: {} }) as unknown as APIGatewayProxyEventV2;
const NOW = Date.parse('2026-11-27T09:00:00Z');
const tokens = JSON.stringify({ t1: { role: 'ngo', name: 'Amina' }, t2: { role: 'superuser' } });

describe('who is calling', () => {
  it('reads roles from Cognito groups, as API Gateway flattens them or as a list', () => {
    // The id is the immutable sub; the email only a label; the roles re-checked in the directory (fromToken).
    expect(principalOf(withClaims({ 'cognito:groups': '[researcher admin]', email: 'r@x.org', sub: 's-1', 'cognito:username': 's-1' }), {}, NOW)).toEqual({ id: 's-1', username: 's-1', name: 'r@x.org', roles: ['researcher', 'admin'], fromToken: true });
    expect(principalOf(withClaims({ 'cognito:groups': ['ngo'], sub: 'abc' }), {}, NOW)).toEqual({ id: 'abc', username: 'abc', name: 'abc', roles: ['ngo'], fromToken: true });
    // A signed-in user in no Sauti group has no role at all.
    expect(principalOf(withClaims({ 'cognito:groups': '[staff]' }), {}, NOW)).toBeUndefined();
    // Without a sub there is nobody to record as the actor.
    expect(principalOf(withClaims({ 'cognito:groups': '[admin]', email: 'a@x.org' }), {}, NOW)).toBeUndefined();
  });

  it('records the sub as the actor whatever the email says: a renamed account is the same actor', () => {
    const before = principalOf(withClaims({ 'cognito:groups': '[admin]', email: 'old@x.org', sub: 's-9', 'cognito:username': 's-9' }), {}, NOW);
    const after = principalOf(withClaims({ 'cognito:groups': '[admin]', email: 'someone-else@x.org', sub: 's-9', 'cognito:username': 's-9' }), {}, NOW);
    expect(actor(before!)).toEqual({ by: 'old@x.org', byId: 's-9' });
    expect(actor(after!).byId).toBe(actor(before!).byId);
  });

  it('accepts local bearer tokens only when configured, and only known roles', () => {
    expect(principalOf(withBearer('Bearer t1'), { SAUTI_API_TOKENS: tokens }, NOW)).toEqual({ id: 'Amina', username: 'Amina', name: 'Amina', roles: ['ngo'] });
    expect(principalOf(withBearer('Bearer t1'), {}, NOW)).toBeUndefined();
    expect(principalOf(withBearer('Bearer t2'), { SAUTI_API_TOKENS: tokens }, NOW)).toBeUndefined();
    expect(principalOf(withBearer('Bearer toString'), { SAUTI_API_TOKENS: tokens }, NOW)).toBeUndefined();
    expect(principalOf(withBearer('t1'), { SAUTI_API_TOKENS: tokens }, NOW)).toBeUndefined();
  });
});
