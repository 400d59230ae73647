import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConfig {
  /** Set for DynamoDB Local; unset in AWS, where the SDK finds the regional endpoint. */
  endpoint?: string | undefined;
  region?: string | undefined;
}

/**
 * How every store retries, stated rather than inherited, because the USSD handler must answer
 * Africa's Talking within ~10 s whatever DynamoDB does.
 *
 * - `standard` mode, 3 attempts: the SDK's own default (v3, this version): full-jitter
 *   exponential backoff (50 ms base, 1 s for throttling errors such as
 *   ProvisionedThroughputExceededException / ThrottlingException), retrying throttling, 5xx,
 *   timeouts and connection resets (ECONNREFUSED while DynamoDB Local restarts), with a retry
 *   quota per client, so a persistent outage stops retrying at once instead of piling up.
 *   Worst case about 1 + 2 s of backoff per call, two calls per USSD hop: inside the budget.
 *   More attempts would push a hop past the gateway's timeout, where the participant sees an
 *   operator error instead of our apology.
 * - Not `adaptive`: its client-side rate limiter, after one throttle, slows every later call of
 *   the (long-lived, shared) Lambda client, which turns one hot partition into slow screens for
 *   everyone; on-demand tables rarely throttle, and the retry quota already backs off.
 * - Socket timeouts: the SDK sets none by default, so a black-holed connection would hang a
 *   hop until the Lambda timeout. A DynamoDB call takes milliseconds; 2 s to connect and 5 s
 *   of silence mean a dead connection, and the timeout is then retried like any transient error.
 */
export const DYNAMO_RETRY = { retryMode: 'standard', maxAttempts: 3, connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000 } as const;

/**
 * DynamoDB Local's socket timeouts. It is a JVM on the same machine as the stack, a test run or
 * a benchmark: on a busy laptop or a CI machine whose cores are taken it accepts connections
 * late, and the 2 s of the AWS endpoint failed a whole test run (a connection not established
 * within 2000 ms, three times). A dead local process refuses connections at once, so long
 * timeouts cost nothing when it is down; they only wait for it when it is slow.
 */
export const DYNAMO_LOCAL_TIMEOUTS = { connectionTimeoutMs: 60_000, requestTimeoutMs: 120_000 } as const;

/**
 * The SDK's logger middleware evaluates `logger.info({ input: filter(input), output:
 * filter(output) })` after every call, and the default NoOpLogger has an `info`, so every
 * response (every item of every page) is walked by the schema's sensitive-data filter only
 * to be dropped: about a sixth of an export's CPU, and time on every USSD hop. Without `info`
 * (and `error`: the SDK error reaches our own logs anyway) the optional calls skip their
 * arguments. Also keeps phone numbers in keys out of any SDK log line.
 */
const SDK_LOGGER = { trace: () => {}, debug: () => {}, warn: () => {} } as unknown as NonNullable<DynamoDBClientConfig['logger']>;

/** The one table's name: `TABLE_NAME` (set by the stack on every Lambda), `sauti` locally. */
export function tableNameFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.TABLE_NAME ?? 'sauti';
}

/** Reads the DynamoDB settings from the environment the handlers run in. */
export function dynamoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoConfig {
  return { endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION };
}

export function createDynamoClient(config: DynamoConfig = {}, extra: DynamoDBClientConfig = {}): DynamoDBClient {
  const local = Boolean(config.endpoint);
  return new DynamoDBClient({
    region: config.region ?? (local ? 'local' : undefined),
    retryMode: DYNAMO_RETRY.retryMode,
    maxAttempts: DYNAMO_RETRY.maxAttempts,
    logger: SDK_LOGGER,
    requestHandler: local
      ? { connectionTimeout: DYNAMO_LOCAL_TIMEOUTS.connectionTimeoutMs, requestTimeout: DYNAMO_LOCAL_TIMEOUTS.requestTimeoutMs }
      : { connectionTimeout: DYNAMO_RETRY.connectionTimeoutMs, requestTimeout: DYNAMO_RETRY.requestTimeoutMs },
    ...(local
      ? {
          endpoint: config.endpoint,
          // DynamoDB Local accepts any credentials; fixed ones keep it from searching for real ones.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    ...extra,
  });
}

/** The document client every store uses: plain JavaScript values in, plain values out. */
export function createDocumentClient(config: DynamoConfig = {}, extra: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(config, extra), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
