import type { Content, Question, Translated } from '../content/schema.js';
import type { Study } from '../model.js';
import { choiceValues } from './diary.js';
import { PSEUDONYM_METHOD } from './pseudonym.js';
import { DATASET_TITLES, type Dataset, type ValueLabel, type Variable } from './variables.js';

/**
 * The codebook that goes with every export, as JSON (for scripts) and Markdown (for people):
 * every variable of the file with its type, label and codes; for the diary, every question
 * with its wording in each language, type, choices (code, name, labels), skip logic and
 * rotation; for lessons, the modules and quiz choices; for complaints, the categories.
 */
export interface CodebookQuestion {
  id: string;
  type: Question['type'];
  labels: Translated;
  required: boolean;
  /** Skip logic, e.g. `${wage_received} = 'yes'`: asked only when it holds. */
  relevant?: string;
  /** Asked only in study weeks where (study_week - offset) is a multiple of `every`. */
  rotation?: { every: number; offset: number };
  constraint?: { min: number; max: number };
  maxLength?: number;
  choices?: ValueLabel[];
}

export interface Codebook {
  dataset: Dataset;
  title: string;
  study: { studyId: string; name: string; country: string; timeZone: string; languages: string[]; startsOn?: string; arms: { armId: string; name: string; treatment: boolean }[] };
  generatedAt: string;
  generatedBy: string;
  rows: number;
  file: string;
  format: string;
  pid: string;
  containsPhoneNumbers: boolean;
  missing: string;
  variables: Variable[];
  questionnaire?: { id: string; version: number; questions: CodebookQuestion[] };
  modules?: { id: string; order: number; title: Translated; lessons: { id: string; title: Translated; quiz: { question: Translated; correct: string; choices: { name: string; labels: Translated }[] } }[] }[];
}

export interface CodebookInput {
  dataset: Dataset;
  variables: Variable[];
  study: Study;
  content: Pick<Content, 'diary' | 'modules'>;
  generatedAt: string;
  generatedBy: string;
  rows: number;
  file: string;
  bom: boolean;
  includePhone: boolean;
}

export function codebookQuestion(q: Question): CodebookQuestion {
  return {
    id: q.id,
    type: q.type,
    labels: q.label,
    required: q.required ?? true,
    ...(q.relevant ? { relevant: q.relevant } : {}),
    ...(q.rotation ? { rotation: q.rotation } : {}),
    ...(q.type === 'integer' || q.type === 'decimal' ? { constraint: { min: q.constraint.min, max: q.constraint.max } } : {}),
    ...(q.type === 'text' ? { maxLength: q.maxLength } : {}),
    ...(choiceValues(q) ? { choices: choiceValues(q) } : {}),
  };
}

export function buildCodebook(input: CodebookInput): Codebook {
  const { study, content, dataset } = input;
  const diary = dataset === 'diary_long' || dataset === 'diary_wide';
  return {
    dataset,
    title: DATASET_TITLES[dataset],
    study: {
      studyId: study.studyId,
      name: study.name,
      country: study.country,
      timeZone: study.timeZone,
      languages: study.languages,
      ...(study.startsOn ? { startsOn: study.startsOn } : {}),
      arms: study.arms.map((a) => ({ armId: a.armId, name: a.name, treatment: a.treatment })),
    },
    generatedAt: input.generatedAt,
    generatedBy: input.generatedBy,
    rows: input.rows,
    file: input.file,
    format: `CSV, RFC 4180 (comma-separated, fields with commas, quotes or line breaks in double quotes, CRLF line ends), UTF-8${input.bom ? ' with a byte-order mark (for Excel)' : ' without a byte-order mark'}, one header row`,
    pid: PSEUDONYM_METHOD,
    containsPhoneNumbers: input.includePhone,
    missing: 'An empty cell: no value (not asked, not answered, not applicable). Booleans are 1 and 0; times are UTC, ISO 8601.',
    variables: input.variables,
    ...(diary && content.diary ? { questionnaire: { id: content.diary.id, version: content.diary.version, questions: content.diary.questions.map(codebookQuestion) } } : {}),
    ...(dataset === 'lessons' && content.modules
      ? {
          modules: content.modules.map((m) => ({
            id: m.id,
            order: m.order,
            title: m.title,
            lessons: m.lessons.map((l) => ({
              id: l.id,
              title: l.title,
              quiz: { question: l.quiz.question, correct: l.quiz.correct, choices: l.quiz.choices.map((c) => ({ name: c.name, labels: c.label })) },
            })),
          })),
        }
      : {}),
  };
}

/** A Markdown table cell: one line, pipes escaped. */
const cell = (s: string | number | undefined): string => String(s ?? '').replace(/\s*\r?\n\s*/g, ' ').replaceAll('|', '\\|');

const table = (headers: string[], rows: (string | number | undefined)[][]): string =>
  [`| ${headers.join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

/** Every language the labels have, the study's first (then English, then the rest). */
function languagesOf(labels: readonly Translated[], first: readonly string[]): string[] {
  const all = new Set(labels.flatMap((l) => Object.keys(l)));
  return [...new Set([...first, 'en', ...[...all].sort()])].filter((l) => all.has(l));
}

function valuesTable(values: ValueLabel[], languages: string[]): string {
  const hasNames = values.some((v) => v.name !== undefined);
  const langs = languagesOf(values.map((v) => v.labels), languages);
  return table(
    ['code', ...(hasNames ? ['name'] : []), ...langs],
    values.map((v) => [v.code, ...(hasNames ? [v.name] : []), ...langs.map((l) => v.labels[l])]),
  );
}

export function codebookMarkdown(cb: Codebook): string {
  const languages = cb.study.languages;
  const out: string[] = [
    `# Codebook: ${cb.dataset}`,
    '',
    cb.title,
    '',
    `- Study: ${cell(cb.study.name)} (\`${cb.study.studyId}\`), ${cb.study.country}, time zone ${cb.study.timeZone}${cb.study.startsOn ? `, from ${cb.study.startsOn}` : ''}`,
    `- Arms: ${cb.study.arms.map((a) => `\`${a.armId}\` ${cell(a.name)} (${a.treatment ? 'treatment' : 'control'})`).join(', ')}`,
    `- File: \`${cb.file}\`, ${cb.rows} rows; ${cb.format}`,
    `- Generated ${cb.generatedAt} by ${cell(cb.generatedBy)}`,
    `- \`pid\`: ${cb.pid}`,
    `- Phone numbers: ${cb.containsPhoneNumbers ? '**included** (column `phone`): handle as personal data' : 'none (pseudonymous)'}`,
    `- Missing values: ${cb.missing}`,
    '',
    '## Variables',
    '',
    table(['variable', 'type', 'label', 'notes'], cb.variables.map((v) => [`\`${v.name}\``, v.type, v.label, [v.description, v.question ? `question \`${v.question}\`` : undefined].filter(Boolean).join('; ')])),
  ];
  const coded = cb.variables.filter((v) => v.values && v.values.length > 0 && v.type !== 'boolean' && !v.question && v.name !== 'question');
  if (coded.length > 0) {
    out.push('', '## Values');
    for (const v of coded) out.push('', `### \`${v.name}\``, '', valuesTable(v.values ?? [], languages));
  }
  if (cb.questionnaire) {
    out.push('', `## Diary questions (\`${cb.questionnaire.id}\`, version ${cb.questionnaire.version})`);
    for (const q of cb.questionnaire.questions) {
      out.push('', `### \`${q.id}\` (${q.type})`, '');
      for (const l of languagesOf([q.labels], languages)) out.push(`- ${l}: ${cell(q.labels[l])}`);
      out.push(`- Required: ${q.required ? 'yes' : 'no (may be skipped)'}`);
      out.push(`- Asked when: ${q.relevant ? `\`${q.relevant}\`` : 'always'}`);
      if (q.rotation) out.push(`- Rotation: in study weeks where (study_week − ${q.rotation.offset}) is a multiple of ${q.rotation.every}`);
      if (q.constraint) out.push(`- Range: ${q.constraint.min} to ${q.constraint.max}`);
      if (q.maxLength) out.push(`- At most ${q.maxLength} characters`);
      if (q.choices) out.push('', valuesTable(q.choices, languages));
    }
  }
  if (cb.modules) {
    out.push('', '## Modules and quizzes');
    for (const m of cb.modules) {
      out.push('', `### \`${m.id}\` (${m.order}): ${cell(m.title.en ?? Object.values(m.title)[0])}`);
      for (const l of m.lessons) {
        out.push('', `- \`${l.id}\`: ${cell(l.title.en ?? Object.values(l.title)[0])}. Quiz: ${cell(l.quiz.question.en ?? Object.values(l.quiz.question)[0])} Correct: \`${l.quiz.correct}\`; choices ${l.quiz.choices.map((c) => `\`${c.name}\` (${cell(c.labels.en ?? Object.values(c.labels)[0])})`).join(', ')}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
