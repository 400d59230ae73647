import type { Content } from '../../content/schema.js';
import type { Study } from '../../model.js';
import type { ExportSource } from '../../ports/exports.js';
import type { Dataset, Row, Variable } from '../variables.js';

/**
 * The row generators of the research exports: each reads the study through the ExportSource
 * port one page (or one participant) at a time and yields rows as it goes, so an export of a
 * million rows holds no more in memory than one of a thousand. Rows carry `pid`, the
 * study's pseudonymous id, never the phone number, unless `includePhone` (admins only, and
 * audited by the caller).
 */
export interface ExportContext {
  study: Study;
  content: Pick<Content, 'diary' | 'modules' | 'complaints'>;
  /** The study's pseudonym key (pseudonym.ts, studyKey). */
  key: Uint8Array;
  includePhone: boolean;
  /** The response dataset lists the study weeks up to the one this falls in. */
  now: Date;
}

export interface DatasetPlan {
  dataset: Dataset;
  variables: Variable[];
  /**
   * The rows in batches (a participant's, or a page's): a million rows then cost a few thousand
   * steps of the async generators and the stream rather than a million, about a quarter of an
   * export's CPU.
   */
  rows: AsyncIterable<readonly Row[]>;
}

/** One dataset: its columns, and its rows read through the ExportSource port. */
export interface DatasetDefinition {
  variables(ctx: ExportContext): Variable[];
  rows(ctx: ExportContext, source: ExportSource): AsyncIterable<readonly Row[]>;
}
