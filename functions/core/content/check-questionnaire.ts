import { type Condition, ConditionError, parseCondition } from '../questionnaire/condition.js';
import { explore } from '../questionnaire/reach.js';
import type { Question, Questionnaire } from './schema.js';

/** Structure and skip logic of a questionnaire: ids, choices, ranges, `relevant`, reachability. */
export function questionnaireProblems(form: Questionnaire): string[] {
  const problems: string[] = [];
  const at = (q: Question) => `${form.id}.${q.id}`;
  const seen = new Map<string, Question>();
  for (const q of form.questions) {
    if (seen.has(q.id)) problems.push(`${at(q)}: duplicate question id`);
    if (q.type === 'select_one' || q.type === 'select_multiple') {
      if (new Set(q.choices.map((c) => c.code)).size !== q.choices.length) problems.push(`${at(q)}: duplicate choice codes`);
      if (new Set(q.choices.map((c) => c.name)).size !== q.choices.length) problems.push(`${at(q)}: duplicate choice names`);
      if (q.choices.length > 97) problems.push(`${at(q)}: more than 97 choices (98 and 99 are navigation)`);
    }
    if (q.type === 'integer' || q.type === 'decimal') {
      if (q.constraint.min > q.constraint.max) problems.push(`${at(q)}: constraint min is above max`);
      if (q.required === false) problems.push(`${at(q)}: a number question cannot be optional (0, 98 and 99 are amounts, so no key is free to skip)`);
    }
    if (q.relevant) {
      try {
        const c = parseCondition(q.relevant);
        problems.push(...referenceProblems(c, seen).map((p) => `${at(q)}: relevant: ${p}`));
      } catch (err) {
        problems.push(`${at(q)}: relevant: ${err instanceof ConditionError ? err.message : String(err)}`);
      }
    }
    if (q.rotation && q.rotation.offset >= q.rotation.every) problems.push(`${at(q)}: rotation offset must be below "every"`);
    seen.set(q.id, q);
  }
  if (problems.length === 0) {
    const { reached } = explore(form);
    for (const q of form.questions) if (!reached.has(q.id)) problems.push(`${at(q)}: unreachable: no answers to earlier questions make it relevant`);
  }
  return problems;
}

/** References must name earlier questions, with literals their types can take. */
function referenceProblems(c: Condition, earlier: ReadonlyMap<string, Question>): string[] {
  switch (c.kind) {
    case 'and':
    case 'or':
      return [...referenceProblems(c.left, earlier), ...referenceProblems(c.right, earlier)];
    case 'not':
      return referenceProblems(c.expr, earlier);
    default: {
      const q = earlier.get(c.ref);
      if (!q) return [`\${${c.ref}} is not an earlier question`];
      if (c.kind === 'answered') return [];
      const isSelect = q.type === 'select_one' || q.type === 'select_multiple';
      if (c.kind === 'selected') {
        if (!isSelect) return [`selected() needs a select question, \${${c.ref}} is ${q.type}`];
        return q.choices.some((ch) => ch.name === c.value) ? [] : [`'${c.value}' is not a choice of \${${c.ref}}`];
      }
      if (q.type === 'select_multiple') return [`use selected() for the select_multiple \${${c.ref}}`];
      if (isSelect) {
        if (typeof c.value !== 'string') return [`\${${c.ref}} is compared with a number, but it holds a choice`];
        if (c.op !== '=' && c.op !== '!=') return [`choices of \${${c.ref}} can only be compared with = or !=`];
        return q.choices.some((ch) => ch.name === c.value) ? [] : [`'${c.value}' is not a choice of \${${c.ref}}`];
      }
      if ((q.type === 'integer' || q.type === 'decimal') && typeof c.value !== 'number') return [`\${${c.ref}} is a number, compared with '${c.value}'`];
      return [];
    }
  }
}
