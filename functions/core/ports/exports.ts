import type { Readable } from 'node:stream';
import type { WeekRecord } from '../diary/week-record.js';
import type { Complaint, Message, Participant } from '../model.js';

/**
 * What an export reads, one page or one participant at a time, so memory does not grow with
 * the size of the study (adapters/dynamo/export-source.ts in AWS and locally).
 */
export interface ExportSource {
  /** The study's participants, page by page, in participant-id order. */
  participants(studyId: string): AsyncIterable<readonly Participant[]>;
  /** One participant's diary weeks, in week order: what the datasets use of them. */
  weeks(participant: Participant): Promise<ExportWeek[]>;
  /** One participant's complaints. */
  complaints(participant: Participant): Promise<Complaint[]>;
  /** The study's outbound messages, page by page, oldest first. */
  messages(studyId: string): AsyncIterable<readonly ExportMessage[]>;
}

/** What the exports use of a diary week (the stored record also has keys, the phone, the USSD conversation). */
export const EXPORT_WEEK_FIELDS = ['week', 'studyWeek', 'questionnaireId', 'questionnaireVersion', 'answers', 'complete', 'completedAt'] as const;
export type ExportWeek = Pick<WeekRecord, (typeof EXPORT_WEEK_FIELDS)[number]>;

/** An outbound SMS as exports see it (model.ts `Message`; the record has more: the text, the claim). */
export type ExportMessage = Pick<Message, 'messageId' | 'studyId' | 'participantId' | 'period' | 'createdAt' | 'updatedAt'> &
  Partial<Pick<Message, 'phone' | 'pid' | 'failureReason' | 'attempts' | 'treatmentOnly' | 'sentAt'>> & { purpose: string; status: string };

/** Where a file of an export went: a path on this machine, or an object and a short-lived link. */
export interface StoredFile {
  /** A file path, or `s3://bucket/key`. */
  location: string;
  /** A presigned GET URL (S3), valid until `expiresAt`. */
  url?: string;
  expiresAt?: string;
}

/**
 * Where export files are written: a folder locally, S3 in AWS, nowhere (benchmarks). The body
 * is consumed as a stream, so a file of any size goes through in constant memory.
 */
export interface ExportSink {
  /** `name` is a relative path such as `athi-river-2026/diary_long-2026-11-24T09-00-00-000Z.csv`. */
  write(name: string, contentType: string, body: Readable): Promise<StoredFile>;
}
