/**
 * Africa's Talking's source addresses (context sauti:atSourceIps) reach every callback Lambda
 * as AT_SOURCE_IPS, and no other; a malformed entry fails the synth instead of deploying a
 * stack that refuses every callback.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AT_SOURCE_IPS_CONTEXT, atCallbackLambdas, atSourceIpsOf } from '../../infra/constructs/http-functions.js';
import { routes } from '../../infra/routes.js';
import { SautiStack } from '../../infra/stack.js';
import { type Json, cdkJson, fnIds, resources } from './sauti-template.js';

// Documentation ranges (RFC 5737), not Africa's Talking's: the operator supplies theirs.
const CIDRS = ['192.0.2.0/24', '198.51.100.7'];

const envOf = (all: Record<string, Json>, id: string): Record<string, string> => all[id]!.Properties.Environment?.Variables ?? {};

describe('the callbacks\' source-IP allowlist', () => {
  it('is not set unless the operator sets the context value', () => {
    expect(cdkJson.context[AT_SOURCE_IPS_CONTEXT]).toBeUndefined();
    for (const id of Object.values(fnIds)) expect(envOf(resources, id).AT_SOURCE_IPS).toBeUndefined();
  });

  it('sets AT_SOURCE_IPS on every Lambda behind an /at/ route, and on no other', () => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], [AT_SOURCE_IPS_CONTEXT]: CIDRS } });
    const stack = new SautiStack(app, 'Sauti');
    const all = Template.fromStack(stack).toJSON().Resources as Record<string, Json>;
    const callbacks = new Set(routes.filter((r) => r.path.startsWith('/at/')).map((r) => r.lambda));
    expect([...callbacks].sort()).toEqual([...atCallbackLambdas].sort());
    expect(atCallbackLambdas).toEqual(expect.arrayContaining(['ussd', 'atCallbacks']));
    for (const [name, id] of Object.entries(fnIds)) {
      expect(envOf(all, id).AT_SOURCE_IPS, name).toBe((callbacks as Set<string>).has(name) ? CIDRS.join(',') : undefined);
    }
  });

  it('takes a list (cdk.json) or a -c string, comma-separated or JSON, and refuses what is not an IPv4 CIDR', () => {
    expect(atSourceIpsOf(undefined)).toBeUndefined();
    expect(atSourceIpsOf([])).toBeUndefined();
    expect(atSourceIpsOf(CIDRS)).toBe('192.0.2.0/24,198.51.100.7');
    expect(atSourceIpsOf(' 192.0.2.0/24 , 198.51.100.7 ')).toBe('192.0.2.0/24,198.51.100.7');
    expect(atSourceIpsOf('["192.0.2.0/24"]')).toBe('192.0.2.0/24');
    expect(() => atSourceIpsOf(['192.0.2.0/33'])).toThrow(/sauti:atSourceIps: not an IPv4 address or CIDR: 192.0.2.0\/33/);
    expect(() => atSourceIpsOf('2001:db8::/32')).toThrow(/not an IPv4/);
    expect(() => atSourceIpsOf('["192.0.2.0/24"')).toThrow(/does not parse/);
    expect(() => atSourceIpsOf({ cidr: '192.0.2.0/24' })).toThrow(/must be a list/);
  });
});
