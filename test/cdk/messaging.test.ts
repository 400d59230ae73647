/**
 * SMS sending (infra/constructs/messaging.ts): the send queue and its DLQ, the sender's event source
 * and concurrency cap, the dispatcher's schedule.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AwsSolutionsChecks } from 'cdk-nag';
import { staticEgressOf } from '../../infra/constructs/egress.js';
import { SEND_MAX_RECEIVES, sendConcurrencyOf } from '../../infra/constructs/messaging.js';
import { SautiStack } from '../../infra/stack.js';
import { type Json, cdkJson, stack, template, resources, fnIds, queueId, dlqId, ofType, asArray, getAtt, statementsOfRole, forgetQueueId, forgetDlqId } from './sauti-template.js';

describe('send queue', () => {
  const queue = (): Json => resources[queueId]!.Properties as Json;
  const dlq = (): Json => resources[dlqId]!.Properties as Json;

  it('has a dead-letter queue after 5 receives, kept 14 days', () => {
    // The send queue and its DLQ; the forget queue and its DLQ (constructs/forget.ts).
    template.resourceCountIs('AWS::SQS::Queue', 4);
    expect(queue().RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt(dlqId), maxReceiveCount: SEND_MAX_RECEIVES });
    expect(dlq().MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(dlq().RedrivePolicy).toBeUndefined();
  });

  it('is encrypted at rest, both queues', () => {
    for (const q of [queue(), dlq()]) expect(q.SqsManagedSseEnabled === true || q.KmsMasterKeyId !== undefined).toBe(true);
  });

  it('refuses requests without TLS, both queues', () => {
    for (const id of [queueId, dlqId]) {
      const policy = ofType('AWS::SQS::QueuePolicy').find(([, p]) => asArray<Json>(p.Properties.Queues).some((q) => q.Ref === id));
      expect(policy, id).toBeDefined();
      expect(policy![1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('hides a batch for at least 6x the sender timeout, and longer than the claim lease', () => {
    const timeout = resources[fnIds.sender]!.Properties.Timeout as number;
    expect(queue().VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    expect(queue().VisibilityTimeout).toBeGreaterThan(5 * 60);
  });
});

describe('forget queue', () => {
  it('drains into the forget worker one job at a time, with partial-batch failures, a DLQ after 5 receives', () => {
    const forget = ofType('AWS::Lambda::EventSourceMapping').filter(([, m]) => m.Properties.FunctionName?.Ref === fnIds.forget);
    expect(forget.map(([, m]) => m.Properties)).toEqual([{ EventSourceArn: getAtt(forgetQueueId), FunctionName: { Ref: fnIds.forget }, BatchSize: 1, FunctionResponseTypes: ['ReportBatchItemFailures'] }]);
    expect(resources[forgetQueueId]!.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: getAtt(forgetDlqId), maxReceiveCount: 5 });
  });
});

describe('sender event source', () => {
  const mappings = ofType('AWS::Lambda::EventSourceMapping');

  it('drains the send queue into the sender with partial-batch failures and a concurrency cap', () => {
    expect(mappings).toHaveLength(2);
    const sender = mappings.filter(([, m]) => m.Properties.FunctionName?.Ref === fnIds.sender);
    expect(sender).toHaveLength(1);
    expect(sender[0]![1].Properties).toEqual({
      EventSourceArn: getAtt(queueId),
      FunctionName: { Ref: fnIds.sender },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    expect(stack.sendConcurrency).toBe(cdkJson.context['sauti:sendConcurrency']);
  });

  it('takes the cap from the context key sauti:sendConcurrency (number or -c string), within SQS\'s 2..1000', () => {
    expect(sendConcurrencyOf(undefined)).toBe(2);
    expect(sendConcurrencyOf(5)).toBe(5);
    expect(sendConcurrencyOf('12')).toBe(12);
    expect(sendConcurrencyOf(1000)).toBe(1000);
    for (const bad of [0, 1, 1001, 2.5, 'two', '']) {
      if (bad === '') expect(sendConcurrencyOf(bad)).toBe(2);
      else expect(() => sendConcurrencyOf(bad), String(bad)).toThrow(/sauti:sendConcurrency/);
    }
  });

  it('uses the context value in the template', () => {
    const other = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], 'sauti:sendConcurrency': '7' } });
    const s = new SautiStack(other, 'Sauti');
    Template.fromStack(s).hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 7 } });
  });
});

describe('dispatcher schedule', () => {
  it('invokes the dispatcher every 15 minutes through EventBridge Scheduler', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');
    expect(schedules).toHaveLength(1);
    const props = schedules[0]![1].Properties as Json;
    expect(props.ScheduleExpression).toBe('rate(15 minutes)');
    expect(props.State).toBe('ENABLED');
    expect(props.Target.Arn).toEqual(getAtt(fnIds.dispatcher));
  });

  it("runs as a role that may only invoke the dispatcher, assumed only by this account's scheduler", () => {
    const props = ofType('AWS::Scheduler::Schedule')[0]![1].Properties as Json;
    const roleId = props.Target.RoleArn['Fn::GetAtt'][0] as string;
    expect(statementsOfRole(roleId)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: getAtt(fnIds.dispatcher) }]);
    const trust = resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement as Json[];
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } });
  });
});

describe("the sender's pace and static egress", () => {
  it('tells each sender instance the concurrency cap, to pace every provider at its share', () => {
    expect(resources[fnIds.sender]!.Properties.Environment.Variables.SAUTI_SEND_CONCURRENCY).toBe(String(cdkJson.context['sauti:sendConcurrency']));
  });

  it('by default: no VPC, no NAT gateway, no Elastic IP, the sender outside any VPC', () => {
    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP', 'AWS::EC2::SecurityGroup']) expect(ofType(type), type).toEqual([]);
    expect(resources[fnIds.sender]!.Properties.VpcConfig).toBeUndefined();
    expect(template.toJSON().Outputs.SenderEgressIp).toBeUndefined();
  });

  it('reads sauti:staticEgress as true or false (a -c string too), and refuses anything else', () => {
    expect([undefined, false, 'false', ''].map(staticEgressOf)).toEqual([false, false, false, false]);
    expect([true, 'true'].map(staticEgressOf)).toEqual([true, true]);
    expect(() => staticEgressOf('yes')).toThrow(/sauti:staticEgress/);
  });

  describe('with sauti:staticEgress: true', () => {
    const egressApp = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], 'sauti:staticEgress': true } });
    const egressStack = new SautiStack(egressApp, 'Sauti');
    new AwsSolutionsChecks(egressApp, { writeSuppressionsToCloudFormation: true });
    const t = Template.fromStack(egressStack).toJSON() as Json;
    const of = (type: string): [string, Json][] => Object.entries(t.Resources as Record<string, Json>).filter(([, r]) => r.Type === type);
    const senderId = egressStack.getLogicalId(egressStack.functions.sender.node.defaultChild as never);

    it('puts the sender in private subnets behind one NAT gateway that holds the one Elastic IP, printed as an output', () => {
      expect(of('AWS::EC2::VPC')).toHaveLength(1);
      const eips = of('AWS::EC2::EIP');
      expect(eips).toHaveLength(1);
      const nats = of('AWS::EC2::NatGateway');
      expect(nats).toHaveLength(1);
      expect(nats[0]![1].Properties.AllocationId).toEqual({ 'Fn::GetAtt': [eips[0]![0], 'AllocationId'] });
      expect(t.Outputs.SenderEgressIp.Value).toEqual({ Ref: eips[0]![0] });
      const vpcConfig = t.Resources[senderId].Properties.VpcConfig as Json;
      const privateSubnets = of('AWS::EC2::Subnet').filter(([, r]) => r.Properties.MapPublicIpOnLaunch !== true).map(([id]) => ({ Ref: id }));
      expect(vpcConfig.SubnetIds).toEqual(privateSubnets);
      expect(privateSubnets).toHaveLength(2);
      // Every private subnet's default route is the NAT gateway: one address to whitelist.
      const defaults = of('AWS::EC2::Route').filter(([, r]) => r.Properties.DestinationCidrBlock === '0.0.0.0/0' && r.Properties.NatGatewayId);
      expect(defaults).toHaveLength(2);
      for (const [, r] of defaults) expect(r.Properties.NatGatewayId).toEqual({ Ref: nats[0]![0] });
    });

    it('keeps DynamoDB traffic off the NAT (a gateway endpoint), logs rejected flows, lets nothing in', () => {
      const endpoints = of('AWS::EC2::VPCEndpoint');
      expect(endpoints).toHaveLength(1);
      expect(endpoints[0]![1].Properties.VpcEndpointType).toBe('Gateway');
      expect(JSON.stringify(endpoints[0]![1].Properties.ServiceName)).toContain('dynamodb');
      expect(of('AWS::EC2::FlowLog').map(([, r]) => r.Properties.TrafficType)).toEqual(['REJECT']);
      const groups = of('AWS::EC2::SecurityGroup');
      expect(groups).toHaveLength(1);
      expect(groups[0]![1].Properties.SecurityGroupIngress).toBeUndefined();
    });

    it('the other Lambdas stay outside the VPC', () => {
      for (const name of ['ussd', 'atCallbacks', 'api', 'dispatcher'] as const) {
        const id = egressStack.getLogicalId(egressStack.functions[name].node.defaultChild as never);
        expect(t.Resources[id].Properties.VpcConfig, name).toBeUndefined();
      }
    });

    it('is cdk-nag clean, acknowledging only the network-interface wildcard on the sender', () => {
      const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(egressApp);
      expect(report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
      // The console's bucket deployment (CDK's own Lambda, console-site.ts) has its own acknowledgement; the egress adds only the sender's.
      const iam5 = Object.entries(t.Resources as Record<string, Json>).flatMap(([id, r]) =>
        asArray<Json>(r.Metadata?.cdk_nag?.rules_to_suppress).filter((s) => s.id === 'AwsSolutions-IAM5[Resource::*]').map(() => id),
      ).filter((id) => !id.startsWith('CustomCDKBucketDeployment'));
      expect(iam5).toHaveLength(1);
      expect(asArray<Json>(t.Resources[iam5[0]!].Properties.Roles)).toEqual([{ Ref: t.Resources[senderId].Properties.Role['Fn::GetAtt'][0] }]);
    });
  });
});
