import type { Question, Questionnaire } from '../content/schema.js';
import { type AnswerLike, literals, parseCondition } from './condition.js';
import { inRotation, isAsked } from './walk.js';

/**
 * Explores every path through a questionnaire that matters for its skip logic: each question
 * that a condition reads is tried with the values the conditions distinguish (its choices,
 * the numbers around each compared literal, skipped); the others take one value. Finds
 * questions no path reaches, and how many questions a respondent answers.
 */
export interface Reach {
  reached: Set<string>;
  /** Fewest and most questions asked on a path, per study week in the rotation cycle. */
  askedPerWeek: { week: number; min: number; max: number }[];
}

function valuesFor(q: Question, compared: Set<string | number> | undefined): (AnswerLike | undefined)[] {
  const skipped = q.required === false ? [undefined] : [];
  if (!compared) return [representative(q), ...skipped];
  switch (q.type) {
    case 'select_one':
      return [...q.choices.map((c) => c.name), ...skipped];
    case 'select_multiple': {
      // Every combination of the compared choices, plus one other choice (as "something else").
      const named = [...compared].filter((v): v is string => typeof v === 'string');
      const other = q.choices.map((c) => c.name).find((n) => !named.includes(n));
      const subsets: string[][] = [];
      for (let mask = 0; mask < 1 << named.length; mask += 1) {
        const picked = named.filter((_, i) => mask & (1 << i));
        subsets.push(picked.length ? picked : other ? [other] : []);
      }
      return [...subsets, ...skipped];
    }
    case 'integer':
    case 'decimal': {
      const { min, max } = q.constraint;
      const step = q.type === 'integer' ? 1 : 0.5;
      const around = [...compared].filter((v): v is number => typeof v === 'number').flatMap((n) => [n - step, n, n + step]);
      return [...new Set([min, max, ...around].filter((n) => n >= min && n <= max))];
    }
    case 'text':
      return ['text', ...skipped];
  }
}

function representative(q: Question): AnswerLike {
  switch (q.type) {
    case 'select_one':
      return (q.choices[0] as { name: string }).name;
    case 'select_multiple':
      return [(q.choices[0] as { name: string }).name];
    case 'integer':
    case 'decimal':
      return q.constraint.min;
    case 'text':
      return 'text';
  }
}

const MAX_PATHS = 200_000;

export function explore(form: Questionnaire): Reach {
  const compared = new Map<string, Set<string | number>>();
  for (const q of form.questions) if (q.relevant) literals(parseCondition(q.relevant), compared);
  const cycle = form.questions.reduce((n, q) => (q.rotation ? lcm(n, q.rotation.every) : n), 1);
  const reached = new Set<string>();
  const askedPerWeek: Reach['askedPerWeek'] = [];
  let paths = 0;
  for (let week = 0; week < Math.min(cycle, 12); week += 1) {
    let min = Infinity;
    let max = 0;
    const walk = (i: number, answers: Record<string, AnswerLike | undefined>, asked: number) => {
      if (paths > MAX_PATHS) throw new Error(`${form.id}: too many skip-logic paths to check (over ${MAX_PATHS})`);
      if (i === form.questions.length) {
        paths += 1;
        min = Math.min(min, asked);
        max = Math.max(max, asked);
        return;
      }
      const q = form.questions[i] as Question;
      if (!inRotation(q, week) || !isAsked(q, answers, week)) return walk(i + 1, answers, asked);
      reached.add(q.id);
      for (const v of valuesFor(q, compared.get(q.id))) walk(i + 1, { ...answers, [q.id]: v }, asked + 1);
    };
    walk(0, {}, 0);
    askedPerWeek.push({ week, min, max });
  }
  return { reached, askedPerWeek };
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a * b) / gcd(a, b);
}
