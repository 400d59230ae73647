/**
 * CDK entry point (`npx cdk synth` / `npx cdk deploy`, see cdk.json).
 *
 * No `env`: the stack stays environment-agnostic so synth needs no credentials and no
 * network; the account and region come from the deploying profile at `cdk deploy` time.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SautiStack } from './stack.js';

const app = new App();

// The sender's concurrency cap (the SMS throughput limit) comes from the context key
// `sauti:sendConcurrency` (cdk.json, or `-c sauti:sendConcurrency=N` at deploy time).
new SautiStack(app, 'Sauti', {
  description: "Sauti: USSD/SMS financial-diary platform (Africa's Talking callbacks and sending, admin API, DynamoDB)",
});

// cdk-nag 3 is a CDK validation plugin (not an Aspect): any unacknowledged finding, error or
// warning, fails the synth. Acknowledgements are also written into the template metadata
// (cdk_nag.rules_to_suppress) as an audit trail.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }));

app.synth();
