import type { ExportSource } from '../../ports/exports.js';
import { BOOLEAN_VALUES, type Row, type Variable, yesNo } from '../variables.js';
import type { DatasetDefinition, ExportContext } from './context.js';
import { researchPages } from './read.js';
import { whoCells, whoVariables } from './who.js';

/** lessons: one row per treatment participant × lesson. */
export const lessons: DatasetDefinition = { variables: lessonVariables, rows: lessonRows };

function lessonVariables(ctx: ExportContext): Variable[] {
  const modules = ctx.content.modules ?? [];
  return [
    ...whoVariables(ctx),
    { name: 'module', type: 'category', label: 'Education module', values: modules.map((m) => ({ code: m.id, labels: m.title })) },
    { name: 'module_order', type: 'integer', label: 'Position of the module in the sequence' },
    { name: 'lesson', type: 'category', label: 'Lesson of the module', values: modules.flatMap((m) => m.lessons.map((l) => ({ code: l.id, labels: l.title }))) },
    { name: 'lesson_order', type: 'integer', label: 'Position of the lesson in its module (1 = first)' },
    { name: 'done', type: 'boolean', label: 'The participant finished the lesson (and answered its quiz)', values: BOOLEAN_VALUES },
    { name: 'quiz_choice', type: 'category', label: 'The quiz answer given (choice name; see the modules of the codebook)' },
    { name: 'quiz_correct', type: 'boolean', label: 'The quiz answer was right', values: BOOLEAN_VALUES },
    { name: 'done_at', type: 'datetime', label: 'When the lesson was finished (UTC, ISO 8601)' },
  ];
}

async function* lessonRows(ctx: ExportContext, source: ExportSource): AsyncGenerator<Row[]> {
  const modules = ctx.content.modules ?? [];
  const treatment = new Set(ctx.study.arms.filter((a) => a.treatment).map((a) => a.armId));
  const inContent = new Set(modules.flatMap((m) => m.lessons.map((l) => `${m.id}/${l.id}`)));
  for await (const page of researchPages(ctx, source)) {
    const out: Row[] = [];
    for (const p of page) {
      const done = p.lessons ?? {};
      // Control arms never get lessons: they have no rows (unless a record says otherwise).
      if (!(p.armId && treatment.has(p.armId)) && Object.keys(done).length === 0) continue;
      const who = whoCells(ctx, p);
      for (const m of modules) {
        for (const [i, l] of m.lessons.entries()) {
          const r = done[`${m.id}/${l.id}`];
          out.push({ ...who, module: m.id, module_order: m.order, lesson: l.id, lesson_order: i + 1, done: yesNo(r !== undefined), quiz_choice: r?.choice, quiz_correct: yesNo(r?.correct), done_at: r?.at });
        }
      }
      for (const [key, r] of Object.entries(done)) {
        if (inContent.has(key)) continue;
        const [moduleId, lessonId] = key.split('/');
        out.push({ ...who, module: moduleId, lesson: lessonId, done: 1, quiz_choice: r.choice, quiz_correct: yesNo(r.correct), done_at: r.at });
      }
    }
    if (out.length > 0) yield out;
  }
}
