import { parse } from 'csv-parse/sync';
import type { AnswerValue, Participant, Study } from '../model.js';
import { toE164 } from '../phone.js';

/**
 * Enrolment from a CSV file: one participant per row, every row checked before anything is
 * written, every problem reported with its line number. Columns (header row, any order, any
 * case): `phone` (required; national or international, normalised to E.164 with the study's
 * country), `language` (one of the study's; its first by default), `stratum`, `cluster`,
 * `consent` (`consented` with `consent_version`, or `pending`: the default, consent then
 * happens on USSD), `channel` (`sms` or `ussd`); any other column is a baseline covariate
 * (a number when it reads as one).
 */
export interface ImportProblem {
  /** Line in the file, counting the header as line 1. */
  line: number;
  field: string;
  message: string;
}

export interface ParsedImport {
  participants: Participant[];
  problems: ImportProblem[];
}

const KNOWN = new Set(['phone', 'language', 'stratum', 'cluster', 'consent', 'consent_version', 'channel']);
const MAX_ROWS = 200_000;

export function parseEnrolmentCsv(text: string, study: Study, ids: { newId: () => string; now: Date }): ParsedImport {
  const problems: ImportProblem[] = [];
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 1;
    return { participants: [], problems: [{ line, field: '(file)', message: `This is not a readable CSV file: ${(err as Error).message}` }] };
  }
  const [header, ...rows] = records;
  if (!header) return { participants: [], problems: [{ line: 1, field: '(file)', message: 'The file is empty: it needs a header row with at least "phone".' }] };
  const columns = header.map((h) => h.toLowerCase().replace(/\s+/g, '_'));
  if (!columns.includes('phone')) return { participants: [], problems: [{ line: 1, field: 'phone', message: 'The header row has no "phone" column.' }] };
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate) return { participants: [], problems: [{ line: 1, field: duplicate, message: `The column "${duplicate}" appears twice.` }] };
  if (rows.length > MAX_ROWS) return { participants: [], problems: [{ line: 1, field: '(file)', message: `At most ${MAX_ROWS} rows per file; split it.` }] };

  const stamp = ids.now.toISOString();
  const seen = new Map<string, number>();
  const participants: Participant[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const cell = (name: string) => row[columns.indexOf(name)] ?? '';
    const bad = (field: string, message: string) => problems.push({ line, field, message });
    if (row.length !== columns.length) bad('(row)', `This row has ${row.length} fields; the header has ${columns.length}.`);
    const phone = toE164(cell('phone'), study.country);
    if (!phone) bad('phone', `"${cell('phone')}" is not a valid phone number for ${study.country}.`);
    else if (seen.has(phone)) bad('phone', `The same number as line ${seen.get(phone)}.`);
    else seen.set(phone, line);
    const lang = cell('language') || study.languages[0];
    if (!lang || !study.languages.includes(lang)) bad('language', `"${lang}" is not a language of this study (${study.languages.join(', ')}).`);
    const consent = cell('consent') || 'pending';
    if (consent !== 'consented' && consent !== 'pending') bad('consent', `"${consent}" must be "consented" or "pending".`);
    if (consent === 'consented' && !cell('consent_version')) bad('consent_version', 'A consented row needs the version of the consent text the person agreed to.');
    const channel = cell('channel');
    if (channel && channel !== 'sms' && channel !== 'ussd') bad('channel', `"${channel}" must be "sms" or "ussd".`);
    const answers: Record<string, AnswerValue> = {};
    columns.forEach((c, k) => {
      const v = row[k] ?? '';
      if (KNOWN.has(c) || v === '') return;
      const n = Number(v.replace(/,/g, ''));
      answers[c] = Number.isFinite(n) && /^-?[\d,]*\.?\d+$/.test(v) ? n : v;
    });
    if (!phone || problems.some((p) => p.line === line)) return;
    participants.push({
      studyId: study.studyId,
      participantId: ids.newId(),
      phone,
      lang: lang as string,
      consent: consent === 'consented' ? { state: 'consented', version: cell('consent_version'), at: stamp, channel: 'import' } : { state: 'pending' },
      ...(cell('stratum') ? { stratum: cell('stratum') } : {}),
      ...(cell('cluster') ? { cluster: cell('cluster') } : {}),
      ...(channel ? { channel: channel as 'sms' | 'ussd' } : {}),
      ...(Object.keys(answers).length > 0 ? { baseline: { questionnaireId: 'import', questionnaireVersion: 0, answers, answeredAt: stamp, channel: 'import' as const } } : {}),
      source: 'import',
      createdAt: stamp,
      updatedAt: stamp,
    });
  });
  return { participants: problems.length > 0 ? [] : participants, problems };
}
