/**
 * Least privilege: each Lambda's role grants exactly its actions, on exactly its resources.
 * The first block states the expected rights independently; the second checks that the
 * template grants exactly what the permission tables (infra/constructs/permissions.ts) say,
 * so the tables a reader trusts are the rights deployed.
 */
import { describe, expect, it } from 'vitest';
import { type FunctionName, dynamoActions, exportObjectActions, gsi1Readers, invokeGrants, secretEnv, secretReaders, sendQueueProducers, userAdminActions, forgetQueueProducers, gsi2Readers } from '../../infra/constructs/permissions.js';
import { type Json, stack, logicalId, resources, fnIds, tableId, secretId, atSecretId, pseudonymSecretId, sslSecretId, infobipSecretId, exportsBucketId, queueId, userPoolId, allFunctions, asArray, getAtt, statementsOf, actionsOf, serviceStatements, phoneKeySecretId, forgetQueueId } from './sauti-template.js';

describe('IAM least privilege', () => {
  const forbidden = ['dynamodb:*', 'dynamodb:Scan', 'dynamodb:DeleteItem', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:BatchWriteItem'];
  const tableArn = getAtt(tableId);
  const exportObjectsArn = { 'Fn::Join': ['', [getAtt(exportsBucketId), '/*']] };
  const gsi1Arn = { 'Fn::Join': ['', [tableArn, '/index/gsi1']] };

  const dynamo: Record<FunctionName, string[]> = {
    ussd: ['BatchGetItem', 'GetItem', 'PutItem', 'Query'],
    // "Forget me" (by SMS, by an admin) is queued: neither may delete nor scan.
    atCallbacks: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    api: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    // TransactWriteItems (Update + Put) is authorised as UpdateItem and PutItem.
    sender: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    // Data retention once a day: Scan and UpdateItem (functions/adapters/dynamo/retention-store.ts).
    dispatcher: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'],
    // An outbound call's cost is written on its attempt (UpdateItem); no Scan, no DeleteItem.
    voice: ['BatchGetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    // The forget worker moves and redacts by Query, never by Scan (forget-store.ts).
    forget: ['DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
  };

  it.each(allFunctions)('%s has exactly its DynamoDB actions, on the table', (name) => {
    const onTable = serviceStatements(fnIds[name], 'dynamodb').filter((s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn));
    expect(onTable).toHaveLength(1);
    expect(asArray<string>(onTable[0]!.Action).sort()).toEqual(dynamo[name].map((a) => `dynamodb:${a}`));
    const all = actionsOf(fnIds[name]).filter((a) => a.startsWith('dynamodb:'));
    // What a function is given above is exact; anything else on the forbidden list never.
    for (const a of forbidden) if (!dynamo[name].includes(a.replace('dynamodb:', ''))) expect(all).not.toContain(a);
  });

  it.each(allFunctions)('%s may manage staff accounts in the user pool only if it is the API, with exactly the account actions', (name) => {
    const cognito = serviceStatements(fnIds[name], 'cognito-idp');
    if (name !== 'api') expect(cognito).toEqual([]);
    else {
      expect(cognito).toHaveLength(1);
      expect(asArray<string>(cognito[0]!.Action).sort()).toEqual([...userAdminActions].sort());
      expect(cognito[0]!.Resource).toEqual(getAtt(userPoolId));
    }
  });

  it.each(allFunctions)('%s may query gsi1 only if it lists studies or participants (dispatcher, api, voice, forget), gsi2 only if it forgets, nothing else on an index', (name) => {
    const other = serviceStatements(fnIds[name], 'dynamodb').filter((s) => JSON.stringify(s.Resource) !== JSON.stringify(tableArn));
    const gsi2Arn = { 'Fn::Join': ['', [tableArn, '/index/gsi2']] };
    // CDK merges the two Query statements of the forget worker into one with both indexes.
    if (name === 'forget') expect(other).toEqual([{ Action: 'dynamodb:Query', Effect: 'Allow', Resource: [gsi1Arn, gsi2Arn] }]);
    else if (name === 'dispatcher' || name === 'api' || name === 'voice') expect(other).toEqual([{ Action: 'dynamodb:Query', Effect: 'Allow', Resource: gsi1Arn }]);
    else expect(other).toEqual([]);
  });

  it.each(allFunctions)('%s has no wildcard action or resource (but the exports bucket\'s objects for the API) and no managed policy', (name) => {
    const id = fnIds[name];
    const statements = statementsOf(id);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const a of asArray<string>(s.Action)) expect(a).not.toMatch(/\*/);
      for (const r of asArray<unknown>(s.Resource)) {
        if (name === 'api' && JSON.stringify(r) === JSON.stringify(exportObjectsArn)) continue;
        expect(JSON.stringify(r)).not.toMatch(/\*/);
      }
    }
    const roleId = resources[id]!.Properties.Role['Fn::GetAtt'][0] as string;
    expect(resources[roleId]!.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it.each(allFunctions)('%s writes logs only to its own log group', (name) => {
    const id = fnIds[name];
    const logGroupId = resources[id]!.Properties.LoggingConfig.LogGroup.Ref as string;
    const logs = serviceStatements(id, 'logs');
    expect(logs).toHaveLength(1);
    expect(logs[0]!.Resource).toEqual(getAtt(logGroupId));
  });

  it.each(allFunctions)('%s may use the table key only through DynamoDB', (name) => {
    const kms = serviceStatements(fnIds[name], 'kms');
    expect(kms).toHaveLength(1);
    expect(kms[0]!.Condition.StringEquals['kms:ViaService']).toBeDefined();
  });

  it.each(allFunctions)('%s reads exactly its secrets', (name) => {
    const readers: Record<FunctionName, string[]> = {
      // Every function that keys a participant's items reads the phone key (keys.ts).
      ussd: [phoneKeySecretId, secretId].sort(),
      atCallbacks: [phoneKeySecretId, secretId].sort(),
      api: [phoneKeySecretId, pseudonymSecretId].sort(),
      sender: [atSecretId, sslSecretId, infobipSecretId, phoneKeySecretId].sort(),
      dispatcher: [atSecretId, phoneKeySecretId].sort(),
      voice: [phoneKeySecretId, secretId].sort(),
      forget: [phoneKeySecretId, pseudonymSecretId].sort(),
    };
    const granted = serviceStatements(fnIds[name], 'secretsmanager');
    // Two secrets of one function may share a statement (a list of resources).
    expect(granted.flatMap((s) => asArray<{ Ref: string }>(s.Resource).map((r) => r.Ref)).sort()).toEqual(readers[name]);
    for (const s of granted) expect(asArray<string>(s.Action).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
  });

  it.each(allFunctions)('%s has exactly its SQS grants on the send and forget queues (the DLQs: none)', (name) => {
    const poll = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'];
    const sqs: Record<FunctionName, { send: string[]; forget: string[] }> = {
      ussd: { send: [], forget: [] },
      // Replies to incoming SMS, and the planned messages; a confirmed "forget me" to the forget queue.
      atCallbacks: { send: ['sqs:SendMessage'], forget: ['sqs:SendMessage'] },
      dispatcher: { send: ['sqs:SendMessage'], forget: [] },
      // The SMS a case step owes the participant (core/cases/act.ts); an admin's forget.
      api: { send: ['sqs:SendMessage'], forget: ['sqs:SendMessage'] },
      voice: { send: [], forget: [] },
      // The event source mapping polls as the sender.
      sender: { send: poll, forget: [] },
      // Polls the forget queue; queues the confirmation SMS once a forget has run.
      forget: { send: ['sqs:SendMessage'], forget: poll },
    };
    const granted = serviceStatements(fnIds[name], 'sqs');
    // CDK may merge one action on both queues into one statement: compare (action, queue) pairs.
    const pairs = granted.flatMap((s) => asArray<string>(s.Action).flatMap((a) => asArray<Json>(s.Resource).map((r) => `${a} ${JSON.stringify(r)}`))).sort();
    const wanted = [...sqs[name].send.map((a) => `${a} ${JSON.stringify(getAtt(queueId))}`), ...sqs[name].forget.map((a) => `${a} ${JSON.stringify(getAtt(forgetQueueId))}`)].sort();
    expect(pairs).toEqual(wanted);
  });

  it.each(allFunctions)('%s has S3 rights only if it writes exports (api): exactly Put, Get and AbortMultipartUpload, on the exports bucket\'s objects', (name) => {
    const s3 = serviceStatements(fnIds[name], 's3');
    if (name !== 'api') {
      expect(s3).toEqual([]);
      return;
    }
    expect(s3).toEqual([{ Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: exportObjectsArn }]);
    // Nothing on the bucket itself (no List, no Delete, no bucket policy or ACL changes).
    for (const a of actionsOf(fnIds[name]).filter((x) => x.startsWith('s3:'))) expect(a).not.toMatch(/Delete|List|Put.*(Acl|Policy)|\*/);
  });

  it.each(allFunctions)('%s may invoke only what it must (the API: the dispatcher, unqualified)', (name) => {
    const invoke = serviceStatements(fnIds[name], 'lambda');
    if (name === 'api') expect(invoke).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: getAtt(fnIds.dispatcher) }]);
    else expect(invoke).toEqual([]);
  });

  it('every function has its own role', () => {
    const roles = allFunctions.map((n) => resources[fnIds[n]]!.Properties.Role['Fn::GetAtt'][0]);
    expect(new Set(roles).size).toBe(allFunctions.length);
  });
});

describe('the permission tables are what the template grants', () => {
  const tableArn = getAtt(tableId);
  const env = (name: FunctionName): Json => resources[fnIds[name]]!.Properties.Environment.Variables as Json;

  it('name every Lambda of the stack', () => {
    expect(Object.keys(dynamoActions).sort()).toEqual([...allFunctions].sort());
    expect(Object.keys(secretReaders).sort()).toEqual([...allFunctions].sort());
  });

  it.each(allFunctions)('%s: DynamoDB actions on the table and on gsi1 as dynamoActions and gsi1Readers say', (name) => {
    const statements = serviceStatements(fnIds[name], 'dynamodb');
    const onTable = statements.filter((s) => JSON.stringify(s.Resource) === JSON.stringify(tableArn));
    expect(onTable.flatMap((s) => asArray<string>(s.Action)).sort()).toEqual([...dynamoActions[name]].sort());
    const onIndex = statements.filter((s) => JSON.stringify(s.Resource) !== JSON.stringify(tableArn));
    const indexes = onIndex.flatMap((s) => asArray<Json>(s.Resource).map((r) => `${asArray<string>(s.Action).join(',')} ${JSON.stringify(r).includes('gsi2') ? 'gsi2' : 'gsi1'}`));
    expect(indexes.sort()).toEqual([...(gsi1Readers.includes(name) ? ['dynamodb:Query gsi1'] : []), ...(gsi2Readers.includes(name) ? ['dynamodb:Query gsi2'] : [])]);
  });

  it.each(allFunctions)('%s: reads the secrets of secretReaders, each handed over in its secretEnv variable', (name) => {
    const wanted = secretReaders[name].map((s) => logicalId(stack[s]));
    const granted = serviceStatements(fnIds[name], 'secretsmanager').flatMap((s) => asArray<{ Ref: string }>(s.Resource).map((r) => r.Ref));
    expect(granted.sort()).toEqual([...wanted].sort());
    for (const s of secretReaders[name]) expect(env(name)[secretEnv[s]], s).toEqual({ Ref: logicalId(stack[s]) });
  });

  it.each(allFunctions)('%s: may send to the send queue if and only if it is one of sendQueueProducers', (name) => {
    const sends = serviceStatements(fnIds[name], 'sqs').filter((s) => asArray<string>(s.Action).includes('sqs:SendMessage'));
    const targets = sends.flatMap((x) => asArray<Json>(x.Resource).map((r) => JSON.stringify(r))).sort();
    const wanted = [...(sendQueueProducers.includes(name) ? [getAtt(queueId)] : []), ...(forgetQueueProducers.includes(name) ? [getAtt(forgetQueueId)] : [])].map((r) => JSON.stringify(r)).sort();
    expect(targets).toEqual(wanted);
    for (const x of sends) expect(x.Action).toBe('sqs:SendMessage');
  });

  it.each(allFunctions)('%s: invokes exactly the Lambdas of invokeGrants', (name) => {
    const targets = serviceStatements(fnIds[name], 'lambda').flatMap((s) => asArray<Json>(s.Resource));
    expect(targets).toEqual((invokeGrants[name] ?? []).map((t) => getAtt(fnIds[t])));
  });

  it('the API: exportObjectActions on the exports bucket\'s objects, userAdminActions on the user pool', () => {
    const s3 = serviceStatements(fnIds.api, 's3').flatMap((s) => asArray<string>(s.Action));
    expect(s3.sort()).toEqual([...exportObjectActions].sort());
    const cognito = serviceStatements(fnIds.api, 'cognito-idp').flatMap((s) => asArray<string>(s.Action));
    expect(cognito.sort()).toEqual([...userAdminActions].sort());
  });
});
