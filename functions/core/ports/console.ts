import type { ConsoleComplaint, ConsoleMessage, ConsoleParticipant, ConsoleWeek } from '../console/model.js';

/** What the staff console reads: aggregates per week, one participant's timeline, never a number but by `phoneOf`. */
export interface ConsoleReader {
  findByExportId(studyId: string, exportId: string): Promise<ConsoleParticipant | undefined>;
  participants(studyId: string): Promise<ConsoleParticipant[]>;
  participantPage(studyId: string, opts: { limit: number; after?: string; arm?: string }): Promise<{ participants: ConsoleParticipant[]; next?: string }>;
  timeline(studyId: string, participantId: string): Promise<{ participant: ConsoleParticipant; weeks: ConsoleWeek[]; complaints: ConsoleComplaint[]; messages: ConsoleMessage[] } | undefined>;
  /** The one read of a number (admins, after the audit record). */
  phoneOf(studyId: string, participantId: string): Promise<string | undefined>;
  weeks(studyId: string, isoWeeks: readonly string[]): Promise<ConsoleWeek[]>;
  complaints(studyId: string, isoWeeks: readonly string[]): Promise<ConsoleComplaint[]>;
  messages(studyId: string): Promise<ConsoleMessage[]>;
}
