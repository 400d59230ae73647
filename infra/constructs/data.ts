/**
 * Where Sauti keeps data: the one DynamoDB table (with its key, point-in-time backups and gsi1)
 * and the research exports bucket with its access-log bucket.
 *
 * A plain class, not a Construct: its resources are made in the stack's own scope, so their
 * logical ids are those they had when the stack made them itself (a nested scope would rename,
 * and so replace, the retained table and buckets).
 */
import { Duration, RemovalPolicy, type Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { GSI1, GSI2 } from '../../functions/adapters/dynamo/keys.js';

/** Days an export stays in the bucket before S3 deletes it. */
export const EXPORT_RETENTION_DAYS = 7;

export class Data {
  readonly tableKey: Key;
  readonly table: Table;
  readonly exportsBucket: Bucket;
  readonly exportsLogBucket: Bucket;

  constructor(stack: Stack) {
    // A customer-managed key lets us audit and, if ever needed, revoke access to study data.
    // Retained with the table: deleting it would make the retained table and its backups unreadable.
    this.tableKey = new Key(stack, 'TableKey', {
      description: 'Sauti: encrypts the DynamoDB table (study data, phone numbers)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(stack, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: 'expiresAt',
      // Diaries are research data: neither a stack deletion nor a console click may drop them.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: GSI1,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // The number index: sparse, keys only, read by the forget worker alone (keys.ts numberIndex).
    this.table.addGlobalSecondaryIndex({
      indexName: GSI2,
      partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
      projectionType: ProjectionType.KEYS_ONLY,
    });

    [this.exportsBucket, this.exportsLogBucket] = exportBuckets(stack);
  }
}

/**
 * The bucket research exports are written to (and downloaded from, by presigned links), and
 * the bucket of its server access logs: who fetched which export, from where, even through a
 * forwarded link. Both private, TLS only, S3-managed encryption: S3 server access logs can
 * only be delivered to an SSE-S3 bucket, and with SSE-S3 a presigned link needs no KMS grant
 * on the signer. Exports expire after 7 days; both buckets outlive a stack deletion (the logs
 * are an audit record; the exports empty themselves).
 */
function exportBuckets(stack: Stack): [Bucket, Bucket] {
  const logs = new Bucket(stack, 'ExportsAccessLogs', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(365) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(logs.node.defaultChild ?? logs).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This bucket receives the exports bucket\'s server access logs; logging access to the log bucket itself would only log the log delivery',
  });
  const exports = new Bucket(stack, 'Exports', {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'exports/',
    lifecycleRules: [
      { id: 'ExpireExports', expiration: Duration.days(EXPORT_RETENTION_DAYS), abortIncompleteMultipartUploadAfter: Duration.days(1) },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return [exports, logs];
}
