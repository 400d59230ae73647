import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoConfig {
  /** Set for DynamoDB Local; unset in AWS, where the SDK finds the regional endpoint. */
  endpoint?: string | undefined;
  region?: string | undefined;
}

/** Reads the DynamoDB settings from the environment the handlers run in. */
export function dynamoConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DynamoConfig {
  return { endpoint: env.DYNAMODB_ENDPOINT, region: env.AWS_REGION };
}

export function createDynamoClient(config: DynamoConfig = {}, extra: DynamoDBClientConfig = {}): DynamoDBClient {
  const local = Boolean(config.endpoint);
  return new DynamoDBClient({
    region: config.region ?? (local ? 'local' : undefined),
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
