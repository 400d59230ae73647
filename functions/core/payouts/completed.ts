/**
 * What "completed" means for paying a participant, defined once: a diary week is completed when
 * every required question asked on the participant's path through the questionnaire (its skip
 * logic and this study week's rotation) has an answer, whatever the mode it came by (USSD, SMS,
 * voice, an enumerator's call). Pressing "save" on the USSD review is not needed: the work is
 * done when the answers are in. A lesson module is completed when every lesson of it is finished.
 */
import type { Module, Question, Questionnaire } from '../content/schema.js';
import type { WeekRecord } from '../diary/week-record.js';
import type { Participant } from '../model.js';
import { type Answers, isAsked, liveAnswers } from '../questionnaire/walk.js';

/**
 * Whether the week's diary is completed. `form` is the questionnaire the week was answered on
 * (the record names its id and version). A skip (null) answers an optional question only.
 */
export function weekCompleted(record: Pick<WeekRecord, 'answers' | 'studyWeek'>, form: Questionnaire): boolean {
  const stored = record.answers ?? {};
  // As the diary engine reads them: a skipped question counts as unanswered in conditions.
  const given: Answers = Object.fromEntries(Object.entries(stored).filter(([, a]) => a.value !== null).map(([id, a]) => [id, a.value])) as Answers;
  if (Object.keys(stored).length === 0) return false;
  const live = liveAnswers(form, given, record.studyWeek);
  return form.questions.every((q: Question, i) => {
    if (!isAsked(q, liveAnswers(form, live, record.studyWeek, i), record.studyWeek)) return true;
    if (q.required === false) return true;
    return live[q.id] !== undefined;
  });
}

/** The modules whose every lesson the participant has finished, in content order. */
export function completedModules(participant: Pick<Participant, 'lessons'>, modules: readonly Module[]): string[] {
  const done = participant.lessons ?? {};
  return modules.filter((m) => m.lessons.every((l) => done[`${m.id}/${l.id}`] !== undefined)).map((m) => m.id);
}
