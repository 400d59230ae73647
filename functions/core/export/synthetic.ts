import type { Questionnaire } from '../content/schema.js';
import type { DiaryAnswer, WeekRecord } from '../diary/week-record.js';
import type { AnswerValue, Participant, Study } from '../model.js';
import type { ExportMessage, ExportSource } from '../ports/exports.js';

/**
 * A synthetic study of any size, made on the fly as it is read (nothing is held), for the
 * export's memory test and benchmark: the same pipeline as a real export, minus DynamoDB.
 * Every participant has `weeks` diary weeks with an answer to every question asked on the
 * path that the answers take (so skip logic and rotation are exercised).
 */
export class SyntheticExportSource implements ExportSource {
  constructor(
    private readonly study: Study,
    private readonly form: Questionnaire,
    private readonly participantCount: number,
    private readonly weekCount: number,
    private readonly pageSize = 200,
  ) {}

  /** diary_long rows this source gives (one per participant × week × question). */
  get diaryLongRows(): number {
    return this.participantCount * this.weekCount * this.form.questions.length;
  }

  async *participants(): AsyncGenerator<Participant[]> {
    for (let from = 0; from < this.participantCount; from += this.pageSize) {
      const page: Participant[] = [];
      for (let i = from; i < Math.min(from + this.pageSize, this.participantCount); i += 1) page.push(this.participant(i));
      // A real source waits on I/O between pages; so does this one, for the event loop's sake.
      await new Promise((r) => setImmediate(r));
      yield page;
    }
  }

  participant(i: number): Participant {
    const stamp = this.study.createdAt;
    return {
      studyId: this.study.studyId,
      participantId: `syn-${String(i).padStart(8, '0')}`,
      phone: `+2547${String(10_000_000 + i)}`,
      lang: i % 3 === 0 ? 'en' : 'sw',
      consent: { state: 'consented', version: 'synthetic', at: stamp, channel: 'import' },
      armId: this.study.arms[i % this.study.arms.length]?.armId ?? 'control',
      source: 'seed',
      createdAt: stamp,
      updatedAt: stamp,
    };
  }

  async weeks(p: Participant): Promise<WeekRecord[]> {
    const n = Number(p.participantId.slice(4));
    return Array.from({ length: this.weekCount }, (_, w) => this.week(p, n, w));
  }

  private week(p: Participant, n: number, w: number): WeekRecord {
    const at = new Date(Date.parse(this.study.createdAt) + w * 7 * 86_400_000 + 3_600_000).toISOString();
    const answers: Record<string, DiaryAnswer> = {};
    for (const [k, q] of this.form.questions.entries()) {
      const pick = (n + w + k) % 7;
      let value: AnswerValue | null;
      switch (q.type) {
        case 'select_one':
          value = q.choices[pick % q.choices.length]?.name ?? null;
          break;
        case 'select_multiple':
          value = q.choices.filter((c, j) => !c.exclusive && (j + pick) % 3 === 0).map((c) => c.name);
          if ((value as string[]).length === 0) value = null;
          break;
        case 'integer':
        case 'decimal':
          value = Math.min(q.constraint.max, q.constraint.min + pick * 750);
          break;
        case 'text':
          value = `note ${pick}, "quoted"`;
          break;
      }
      answers[q.id] = { value, at, channel: pick === 0 ? 'sms' : 'ussd' };
    }
    return {
      studyId: p.studyId,
      participantId: p.participantId,
      phone: p.phone,
      week: `2026-W${String(10 + w).padStart(2, '0')}`,
      studyWeek: w,
      questionnaireId: this.form.id,
      questionnaireVersion: this.form.version,
      answers,
      complete: (n + w) % 4 !== 0,
      ...((n + w) % 4 !== 0 ? { completedAt: at } : {}),
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
  }

  async complaints(): Promise<[]> {
    return [];
  }

  async *messages(): AsyncGenerator<ExportMessage[]> {
    // None: the memory test and benchmark stream diaries.
  }
}
