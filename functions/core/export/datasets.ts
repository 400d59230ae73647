import type { ExportSource } from '../ports/exports.js';
import type { Dataset } from './variables.js';
import { complaints } from './datasets/complaints.js';
import type { DatasetDefinition, DatasetPlan, ExportContext } from './datasets/context.js';
import { diaryLong } from './datasets/diary-long.js';
import { diaryWide } from './datasets/diary-wide.js';
import { lessons } from './datasets/lessons.js';
import { messages } from './datasets/messages.js';
import { response } from './datasets/response.js';

export type { DatasetDefinition, DatasetPlan, ExportContext } from './datasets/context.js';
export { inOrder, READ_CONCURRENCY } from './datasets/read.js';
export { enrolledIn, responseStatus, type ResponseStatus } from './datasets/response.js';

/** The research datasets by name, one file each under datasets/. */
export const DATASET_DEFINITIONS: Readonly<Record<Dataset, DatasetDefinition>> = {
  diary_long: diaryLong,
  diary_wide: diaryWide,
  complaints,
  messages,
  lessons,
  response,
};

export function planDataset(dataset: Dataset, ctx: ExportContext, source: ExportSource): DatasetPlan {
  const definition = DATASET_DEFINITIONS[dataset];
  return { dataset, variables: definition.variables(ctx), rows: definition.rows(ctx, source) };
}
