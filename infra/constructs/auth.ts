/**
 * The admin users: researchers, NGO staff and admins in a Cognito user pool, created by an
 * admin (no self sign-up), signing in through one public app client and the hosted UI.
 * Made in the stack's scope (see Data), so the retained pool keeps its logical id.
 */
import { Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { userAdminActions } from './permissions.js';

/** The admin API's Cognito groups (roles, docs/design.md). */
export const userGroups = ['researcher', 'ngo', 'admin', 'enumerator', 'provider'] as const;

/** Context key: the Cognito hosted UI's domain prefix (default `sauti-<account id>`). */
export const AUTH_DOMAIN_CONTEXT = 'sauti:authDomainPrefix';

/** ID and access token lifetime, in minutes. */
export const TOKEN_MINUTES = 15;

/** The CLI's loopback sign-in redirect (RFC 8252). */
const CLI_CALLBACK = 'http://localhost:8976/callback';
const CLI_LOGOUT = 'http://localhost:8976/';

export class Auth {
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** The Cognito hosted UI (console and CLI sign-in). */
  readonly authDomain: UserPoolDomain;

  constructor(stack: Stack) {
    const pool = new UserPool(stack, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Users see participants' phone numbers and study data: a password alone is not enough.
      // An authenticator app (TOTP) only: SMS codes would need an SNS role and cost per message.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.ESSENTIALS,
      // Accounts and their group memberships outlive a stack deletion or replacement.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // On the AWS::Cognito::UserPool only, not on its client and groups.
    Validations.of(pool.node.defaultChild ?? pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Essentials tier: a handful of staff accounts, created by an admin only (no self sign-up), with TOTP MFA and a strong password policy required; Plus threat protection is billed per user and adds little here',
    });
    // The roles reach the API in the token's `cognito:groups` claim; no IAM role per group.
    for (const groupName of userGroups) {
      pool.addGroup(`Group${groupName.charAt(0).toUpperCase()}${groupName.slice(1)}`, { groupName, description: `Sauti role ${groupName}` });
    }
    // A public client (no secret: a CLI or a browser cannot keep one) for the hosted UI's
    // authorization-code flow with PKCE and for SRP sign-in from the CLI.
    this.userPoolClient = pool.addClient('AdminClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        // The console's URL is added when it exists (allowConsoleAt).
        callbackUrls: [CLI_CALLBACK],
        logoutUrls: [CLI_LOGOUT],
      },
      // The email is the audit label and the sign-in name: only an admin may change it. A
      // client with no writeAttributes lets users write every mutable attribute (Cognito's
      // default), so name one harmless attribute instead.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
      // Short: a token signed before a disable or a demotion keeps its groups until it expires
      // (the admin API also re-checks the directory every 30 s: core/staff-access.ts).
      accessTokenValidity: Duration.minutes(TOKEN_MINUTES),
      idTokenValidity: Duration.minutes(TOKEN_MINUTES),
      refreshTokenValidity: Duration.days(1),
    });
    // The hosted UI the console (and the CLI's loopback flow) signs in through. The prefix is
    // global across AWS: this account's id keeps two deployments from colliding; context
    // `sauti:authDomainPrefix` sets another.
    this.authDomain = pool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: stack.node.tryGetContext(AUTH_DOMAIN_CONTEXT) ?? `sauti-${stack.account}` },
    });
    this.userPool = pool;
  }

  /**
   * Lets the admin API manage staff accounts (functions/api/users.ts): exactly
   * userAdminActions, on this pool only.
   */
  letManageStaff(api: NodejsFunction): void {
    api.addEnvironment('USER_POOL_ID', this.userPool.userPoolId);
    api.addToRolePolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: [...userAdminActions], resources: [this.userPool.userPoolArn] }));
  }

  /**
   * The console's own URL as a sign-in redirect, once the distribution exists (the client is
   * made before it; CloudFormation orders them by the reference).
   */
  allowConsoleAt(consoleUrl: string): void {
    const clientResource = this.userPoolClient.node.defaultChild as CfnUserPoolClient;
    clientResource.callbackUrLs = [CLI_CALLBACK, `${consoleUrl}/`];
    clientResource.logoutUrLs = [CLI_LOGOUT, `${consoleUrl}/`];
  }
}
