import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/**
 * "Run the dispatcher now" in AWS: an asynchronous invoke of the dispatcher Lambda (a tick
 * can take longer than an API request may). It is idempotent, so a click while the scheduled
 * tick runs sends nothing twice.
 */
let lambda: LambdaClient | undefined;

export async function invokeDispatcher(): Promise<{ started: boolean }> {
  const name = process.env.DISPATCHER_FUNCTION_NAME;
  if (!name) throw new Error('DISPATCHER_FUNCTION_NAME is not set');
  lambda ??= new LambdaClient({});
  await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event' }));
  return { started: true };
}
