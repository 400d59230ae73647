import { isFinal, type MessageStatus } from '../../sms/delivery.js';
import type { ExportSource } from '../../ports/exports.js';
import { pseudonym } from '../pseudonym.js';
import { BOOLEAN_VALUES, type Row, type Variable, englishValues, yesNo } from '../variables.js';
import type { DatasetDefinition, ExportContext } from './context.js';
import { whoVariables } from './who.js';

/** messages: one row per outbound SMS, with its delivery status. */
export const messages: DatasetDefinition = { variables: messageVariables, rows: messageRows };

function messageVariables(ctx: ExportContext): Variable[] {
  return [
    ...whoVariables(ctx, false),
    { name: 'enrolled', type: 'boolean', label: 'Sent to a participant of the study (0: a reply to a number that is not enrolled)', values: BOOLEAN_VALUES },
    { name: 'purpose', type: 'category', label: 'Why it was sent', values: englishValues({ prompt: 'weekly diary prompt', reminder: 'reminder to a non-responder', lesson: 'education lesson (campaign)', reply: 'reply to an incoming SMS' }) },
    { name: 'period', type: 'string', label: 'The period or occasion it belongs to (a week, a campaign lesson, an incoming SMS id)' },
    {
      name: 'status',
      type: 'category',
      label: 'Last known status',
      values: englishValues({
        queued: 'planned, not yet handed to the provider', sending: 'being sent', accepted: 'accepted by the provider',
        Sent: 'sent to the network', Submitted: 'submitted to the network', Buffered: 'buffered by the network (phone off?)',
        Success: 'delivered to the phone', Rejected: 'rejected by the network', Failed: 'delivery failed',
        AbsentSubscriber: 'phone unreachable', Expired: 'expired before delivery',
        failed: 'refused by the provider at send time', skipped: 'not sent: the send-time check said no (opted out, control arm)',
      }),
    },
    { name: 'final', type: 'boolean', label: 'The status is final (no report will change it)', values: BOOLEAN_VALUES },
    { name: 'failure_reason', type: 'string', label: 'Why it failed or was skipped (provider reason or our check)' },
    { name: 'attempts', type: 'integer', label: 'Sends the provider asked us to retry' },
    { name: 'treatment_only', type: 'boolean', label: 'Treatment content (never sent to a control arm)', values: BOOLEAN_VALUES },
    { name: 'created_at', type: 'datetime', label: 'When it was planned (UTC, ISO 8601)' },
    { name: 'sent_at', type: 'datetime', label: 'When the provider accepted it (UTC, ISO 8601)' },
    { name: 'updated_at', type: 'datetime', label: 'Last status change (UTC, ISO 8601)' },
  ];
}

async function* messageRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  let last: { phone: string; pid: string } | undefined;
  for await (const page of source.messages(ctx.study.studyId)) {
    const out: Row[] = [];
    for (const m of page) {
      const phone = m.phone ?? '';
      // A forgotten participant's message keeps the id computed before the number went.
      if (!m.pid && last?.phone !== phone) last = { phone, pid: phone ? pseudonym(phone, ctx.key) : '' };
      out.push({
        pid: (m.pid ?? last?.pid) || undefined,
        ...(ctx.includePhone ? { phone: m.phone } : {}),
        enrolled: yesNo(m.participantId !== '-' && m.participantId !== ''),
        purpose: m.purpose,
        period: m.period,
        status: m.status,
        final: yesNo(isFinal(m.status as MessageStatus)),
        failure_reason: m.failureReason,
        attempts: m.attempts,
        treatment_only: yesNo(m.treatmentOnly ?? false),
        created_at: m.createdAt,
        sent_at: m.sentAt,
        updated_at: m.updatedAt,
      });
    }
    if (out.length > 0) yield out;
  }
}
