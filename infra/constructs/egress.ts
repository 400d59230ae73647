/**
 * Opt-in static egress for the sender (CDK context `sauti:staticEgress: true`): SSL Wireless
 * sends only for IP addresses whitelisted in its portal, and a Lambda outside a VPC has no fixed
 * address. The sender then runs in the private subnets of a two-AZ VPC whose one NAT gateway
 * holds an Elastic IP, printed as the `SenderEgressIp` output to enter in the portal.
 *
 * Cost (us-east-1 list prices; other Regions a little more): the NAT gateway about
 * $0.045 an hour (≈ $33 a month) plus $0.045 per GB through it, and the Elastic IP $0.005 an
 * hour (≈ $3.60 a month). A provider request of 100 SMS is a few kilobytes, so the hours
 * dominate; DynamoDB goes through a free gateway endpoint, not the NAT. One NAT gateway, not
 * one per AZ: one address to whitelist, and an AZ outage pauses sending (the queue keeps it).
 */
import { CfnOutput, type Stack, Validations } from 'aws-cdk-lib';
import { CfnEIP, FlowLogDestination, FlowLogTrafficType, GatewayVpcEndpointAwsService, NatProvider, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction, NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';

export const STATIC_EGRESS_CONTEXT = 'sauti:staticEgress';

/** The context value as a switch: `true` or the string "true" (from `-c`); anything else is off. */
export function staticEgressOf(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new Error(`${STATIC_EGRESS_CONTEXT} must be true or false, got ${JSON.stringify(value)}`);
}

export interface StaticEgress {
  vpc: Vpc;
  eip: CfnEIP;
  /** What the sender's function takes to run behind the NAT gateway. */
  network: Pick<NodejsFunctionProps, 'vpc' | 'vpcSubnets' | 'securityGroups'>;
}

export function staticEgress(stack: Stack): StaticEgress {
  const eip = new CfnEIP(stack, 'SenderEgressEip', { domain: 'vpc', tags: [{ key: 'Name', value: 'sauti-sender-egress' }] });
  const vpc = new Vpc(stack, 'SenderVpc', {
    maxAzs: 2,
    natGateways: 1,
    natGatewayProvider: NatProvider.gateway({ eipAllocationIds: [eip.attrAllocationId] }),
    subnetConfiguration: [
      { name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 28 },
      { name: 'sender', subnetType: SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
    ],
    // Nothing uses the default security group (the sender has its own), and restricting it
    // takes a custom-resource Lambda with a managed-policy role of its own.
    restrictDefaultSecurityGroup: false,
    gatewayEndpoints: { DynamoDb: { service: GatewayVpcEndpointAwsService.DYNAMODB } },
  });
  // Rejected flows only (cdk-nag VPC7): enough to see a blocked connection, cheap to keep.
  vpc.addFlowLog('SenderVpcFlowLog', {
    trafficType: FlowLogTrafficType.REJECT,
    destination: FlowLogDestination.toCloudWatchLogs(new LogGroup(stack, 'SenderVpcFlowLogs', { retention: RetentionDays.ONE_MONTH })),
  });
  const securityGroup = new SecurityGroup(stack, 'SenderSecurityGroup', { vpc, description: 'Sauti sender: outbound HTTPS to the SMS providers and AWS APIs, nothing inbound', allowAllOutbound: true });
  new CfnOutput(stack, 'SenderEgressIp', { value: eip.ref, description: "The sender's fixed egress IP: whitelist it in SSL Wireless's portal" });
  return { vpc, eip, network: { vpc, vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS }, securityGroups: [securityGroup] } };
}

/** The network-interface actions a VPC Lambda's role needs (what AWSLambdaVPCAccessExecutionRole grants). */
export function grantVpcAccess(fn: NodejsFunction): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: ['*'],
    }),
  );
  // That one finding on the sender's policy only, not IAM5 at large.
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  Validations.of(policy?.node.defaultChild ?? policy ?? fn).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The network-interface actions Lambda needs to run in a VPC (as AWSLambdaVPCAccessExecutionRole); the EC2 Describe actions take no resource scope',
  });
}
