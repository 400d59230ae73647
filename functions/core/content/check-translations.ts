import type { Content, Questionnaire, Translated } from './schema.js';

/** Every language's text for every item, and the same {placeholders} as the first language. */
export function translationProblems(content: Content): string[] {
  const problems: string[] = [];
  const langs = content.languages;
  const need = (where: string, t: Translated | undefined) => {
    for (const l of langs) if (!t?.[l]) problems.push(`${where}: missing "${l}"`);
  };
  const [first] = langs;
  const base = first ? content.strings[first] : undefined;
  for (const l of langs) {
    const s = content.strings[l];
    if (!s) {
      problems.push(`strings: missing language "${l}"`);
      continue;
    }
    if (base && l !== first) {
      for (const [key, text] of Object.entries(base)) {
        const want = placeholders(text);
        const got = placeholders((s as Record<string, string>)[key] ?? '');
        if (want !== got) problems.push(`strings.${key}: "${l}" has placeholders {${got}} but "${first}" has {${want}}`);
      }
    }
  }
  const pageCounts = new Set<number>();
  for (const l of langs) {
    const pages = content.consent.pages[l];
    if (!pages) problems.push(`consent: missing pages for "${l}"`);
    else pageCounts.add(pages.length);
  }
  if (pageCounts.size > 1) problems.push('consent: languages have different numbers of pages');
  const forms = [content.baseline, ...(content.diary ? [content.diary] : [])];
  for (const form of forms) problems.push(...formProblems(form, need));
  for (const m of content.modules ?? []) {
    need(`modules.${m.id}.title`, m.title);
    for (const lesson of m.lessons) {
      const at = `modules.${m.id}.${lesson.id}`;
      need(`${at}.title`, lesson.title);
      need(`${at}.sms`, lesson.sms);
      for (const l of langs) if (!lesson.ussd[l]?.length) problems.push(`${at}.ussd: missing "${l}"`);
      need(`${at}.quiz.question`, lesson.quiz.question);
      for (const c of lesson.quiz.choices) {
        need(`${at}.quiz.${c.name}`, c.label);
        need(`${at}.quiz.${c.name}.feedback`, c.feedback);
      }
    }
  }
  for (const c of content.complaints?.categories ?? []) need(`complaints.${c.name}`, c.label);
  for (const [key, text] of Object.entries(content.sms ?? {})) {
    need(`sms.${key}`, text);
    const want = first ? placeholders(text[first] ?? '') : '';
    for (const l of langs) if (text[l] && placeholders(text[l]) !== want) problems.push(`sms.${key}: "${l}" has placeholders {${placeholders(text[l])}} but "${first}" has {${want}}`);
  }
  return problems;
}

function formProblems(form: Questionnaire, need: (where: string, t: Translated | undefined) => void): string[] {
  if (form.title) need(`${form.id}.title`, form.title);
  for (const q of form.questions) {
    need(`${form.id}.${q.id}`, q.label);
    if (q.type === 'select_one' || q.type === 'select_multiple') for (const c of q.choices) need(`${form.id}.${q.id}.${c.name}`, c.label);
    if (q.type === 'integer' || q.type === 'decimal') need(`${form.id}.${q.id}.constraint`, q.constraint.message);
  }
  return [];
}

function placeholders(text: string): string {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
}
