import type { ExportSource } from '../../ports/exports.js';
import { MODE_VALUES } from '../diary.js';
import { redactNumbers } from '../redact.js';
import { type Row, type Variable, englishValues } from '../variables.js';
import type { DatasetDefinition, ExportContext } from './context.js';
import { participantsWith } from './read.js';
import { whoCells, whoVariables } from './who.js';

/** complaints: one row per complaint. */
export const complaints: DatasetDefinition = { variables: complaintVariables, rows: complaintRows };

function complaintVariables(ctx: ExportContext): Variable[] {
  return [
    ...whoVariables(ctx),
    { name: 'ref', type: 'string', label: 'Reference given to the participant' },
    { name: 'week', type: 'string', label: 'ISO week it was reported in (study time zone)' },
    { name: 'at', type: 'datetime', label: 'When it was reported (UTC, ISO 8601)' },
    { name: 'channel', type: 'category', label: 'Reported over', values: MODE_VALUES },
    {
      name: 'provider',
      type: 'category',
      label: 'Provider the complaint is about',
      values: [...ctx.study.providers.map((p) => ({ code: p.id, labels: { en: `${p.name} (${p.kind})` } })), { code: 'unknown', labels: { en: 'not said (e.g. an SMS complaint)' } }],
    },
    { name: 'category', type: 'category', label: 'Kind of problem', values: (ctx.content.complaints?.categories ?? []).map((c) => ({ code: c.name, labels: c.label })) },
    { name: 'text', type: 'string', label: 'The participant\'s own words', description: ctx.includePhone ? 'as typed' : 'runs of 9 or more digits are replaced by [number]' },
  ];
}

async function* complaintRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  for await (const [p, complaints] of participantsWith(ctx, source, (p) => source.complaints(p))) {
    const out: Row[] = [];
    const who = whoCells(ctx, p);
    for (const c of complaints) {
      out.push({
        ...who,
        ref: c.ref,
        week: c.week,
        at: c.at,
        channel: c.channel,
        provider: c.provider,
        category: c.category,
        text: c.text === undefined ? undefined : ctx.includePhone ? c.text : redactNumbers(c.text),
      });
    }
    if (out.length > 0) yield out;
  }
}
