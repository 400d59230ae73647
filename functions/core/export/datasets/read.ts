import type { Participant } from '../../model.js';
import { researchParticipants } from '../../training.js';
import type { ExportSource } from '../../ports/exports.js';
import type { ExportContext } from './context.js';

/** Participants whose weeks, complaints… are being read at once (a bounded window, in order). */
export const READ_CONCURRENCY = 8;

/**
 * Runs `read` for each item of the pages, at most `concurrency` at once, and yields the results
 * in the items' order. Memory: one page and `concurrency` results.
 */
export async function* inOrder<T, R>(pages: AsyncIterable<readonly T[]>, concurrency: number, read: (item: T) => Promise<R>): AsyncGenerator<[T, R]> {
  const pending: [T, Promise<R>][] = [];
  for await (const page of pages) {
    for (const item of page) {
      const result = read(item);
      // Awaited below, in order; this only keeps a failure from being reported as unhandled
      // while an earlier read is still awaited (or if the consumer stops early).
      result.catch(() => undefined);
      pending.push([item, result]);
      if (pending.length >= concurrency) {
        const [first, promise] = pending.shift() as [T, Promise<R>];
        yield [first, await promise];
      }
    }
  }
  while (pending.length > 0) {
    const [first, promise] = pending.shift() as [T, Promise<R>];
    yield [first, await promise];
  }
}

/** The real participants of the study, each with what `read` gives of them, in order. */
export async function* participantsWith<R>(ctx: ExportContext, source: ExportSource, read: (p: Participant) => Promise<R>): AsyncGenerator<[Participant, R]> {
  yield* inOrder(researchPages(ctx, source), READ_CONCURRENCY, read);
}

/** Pages of real participants: a training tool's throw-away numbers are never exported. */
export async function* researchPages(ctx: ExportContext, source: ExportSource): AsyncGenerator<Participant[]> {
  for await (const page of source.participants(ctx.study.studyId)) yield researchParticipants(page);
}
