import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsSendQueue } from '../../functions/adapters/sqs/send-queue.js';
import type { OutboundMessage } from '../../functions/core/sms/send.js';

/** The SQS adapter's error paths (the happy path runs against the local queue elsewhere). */
const sqs = mockClient(SQSClient);
const msg = (n: number): OutboundMessage => ({ messageId: `m${n}`, studyId: 's', participantId: `p${n}`, phone: `+2547110000${String(n).padStart(2, '0')}`, text: 'Hi', treatmentOnly: false });

beforeEach(() => sqs.reset());

describe('the SQS send queue', () => {
  it('sends ten per batch and sends again only the entries SQS could not take', async () => {
    let calls = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      calls += 1;
      // The first call loses its second entry to a transient SQS fault.
      return calls === 1 ? { Successful: [], Failed: [{ Id: '1', SenderFault: false, Code: 'InternalError' }] } : { Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] };
    });
    await new SqsSendQueue('https://sqs.local/q', new SQSClient({ region: 'local' })).enqueue(Array.from({ length: 23 }, (_, i) => msg(i)));
    const sent = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.map((e) => JSON.parse(e.MessageBody as string).messageId));
    expect(sent).toEqual([
      ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'],
      ['m1'],
      ['m10', 'm11', 'm12', 'm13', 'm14', 'm15', 'm16', 'm17', 'm18', 'm19'],
      ['m20', 'm21', 'm22'],
    ]);
  });

  it('fails loudly on a message SQS rejects as the sender\'s fault, and after repeated faults', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad' }] });
    await expect(new SqsSendQueue('q', new SQSClient({ region: 'local' })).enqueue([msg(1)])).rejects.toThrow('InvalidMessageContents bad');
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', SenderFault: false, Code: 'InternalError' }] });
    await expect(new SqsSendQueue('q', new SQSClient({ region: 'local' })).enqueue([msg(1)])).rejects.toThrow('SQS refused 1 message(s) after retries');
  });
});
