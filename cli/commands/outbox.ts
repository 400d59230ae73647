import { type Command, InvalidArgumentError } from 'commander';
import type { OutboxEntry } from '../../functions/adapters/dynamo/outbox-gateway.js';
import type { DispatchResult } from '../../functions/core/schedule/dispatch.js';
import { contextOf, seg } from '../context.js';
import { clip, print, printJson, table } from '../format.js';

/** `sauti outbox <study>` (the local outbox of SMS) and `sauti dispatch` (admin). */

function limit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('a whole number from 1 to 500.');
  return n;
}

export function outboxCommands(program: Command): void {
  program
    .command('outbox')
    .summary("SMS in the local outbox, newest first (admin)")
    .description("SMS the local stack 'sent' to its outbox instead of Africa's Talking, newest first (GET /studies/{id}/outbox; admin: phone numbers)")
    .argument('<study>', 'study id')
    .option('--phone <number>', 'only messages to this number, in international form (+254…)')
    .option('--limit <n>', 'at most this many messages (1 to 500)', limit, 50)
    .action(async (study: string, opts: { phone?: string; limit: number }, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.get<{ messages: OutboxEntry[] }>(`/studies/${seg(study)}/outbox`, { phone: opts.phone, limit: opts.limit });
      if (format === 'json') return printJson(res);
      if (res.messages.length === 0) return print(`No messages in the outbox of ${study}${opts.phone ? ` to ${opts.phone}` : ''}.`);
      print(table(['at', 'to', 'from', 'text'], res.messages.map((m) => [m.at, m.to, m.from ?? '', clip(m.text, 70)])));
    });

  program
    .command('dispatch')
    .summary('Run the dispatcher now (admin)')
    .description('Run the dispatcher now: queue the prompts, reminders and lessons due (POST /dispatch; admin). It also runs every 15 minutes')
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.post<{ dispatch: unknown }>('/dispatch');
      if (format === 'json') return printJson(res);
      const studies = dispatchStudies(res.dispatch);
      if (!studies) return print('Dispatcher started (it runs asynchronously in AWS; see its logs).');
      print(
        table(
          ['study', { header: 'created', align: 'right' }, { header: 'enqueued', align: 'right' }, 'error'],
          Object.entries(studies).map(([id, r]) => ('error' in r ? [id, '', '', r.error] : [id, String(r.created), String(r.enqueued), ''])),
        ),
      );
    });
}

/** The local stack answers with each study's result; the deployed API only starts the dispatcher. */
function dispatchStudies(d: unknown): Record<string, DispatchResult | { error: string }> | undefined {
  if (typeof d !== 'object' || d === null || !('studies' in d)) return undefined;
  const studies = (d as { studies: unknown }).studies;
  return typeof studies === 'object' && studies !== null ? (studies as Record<string, DispatchResult | { error: string }>) : undefined;
}
