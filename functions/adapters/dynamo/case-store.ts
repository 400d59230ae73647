import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseState, CaseStep, ComplaintCase } from '../../core/cases/model.js';
import { CASE_STATES } from '../../core/cases/model.js';
import { type CaseStore, StaleCaseError } from '../../core/ports/cases.js';
import { batchGetAll, queryAll, withoutKeys } from './items.js';
import { GSI1, keys } from './keys.js';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

function caseItem(c: ComplaintCase): Record<string, unknown> {
  return { ...keys.case(c.studyId, c.ref), ...keys.caseStateIndex(c.studyId, c.state, c.receivedAt, c.ref), ...c };
}

function deskItem(c: ComplaintCase): Record<string, unknown> {
  return { ...keys.caseDesk(c.studyId, c.ref), ...keys.caseDeskIndex(c.studyId, c.provider, c.receivedAt, c.ref), ref: c.ref };
}

/**
 * The writes that open a case, for a transaction of their own or the complaint's (ussd-store.ts
 * `saveComplaint`): the case, its desk entry and the participant's pointer, each only once.
 */
export function caseCreateItems(tableName: string, c: ComplaintCase): TransactItem[] {
  const once = (Item: Record<string, unknown>): TransactItem => ({ Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' } });
  return [once(caseItem(c)), once(deskItem(c)), once({ ...keys.participantCase(c.studyId, c.participantId, c.ref), ref: c.ref })];
}

/** True for a transaction refused only because one of its conditions failed. */
export function conditionCancelled(err: unknown): boolean {
  const e = err as { name?: string; CancellationReasons?: { Code?: string }[] };
  return e.name === 'TransactionCanceledException' && (e.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
}

/** Complaint cases on the table: see keys.ts (`case`, `caseDesk`, `participantCase`) for the layout. */
export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createCase(c: ComplaintCase): Promise<'created' | 'exists'> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: caseCreateItems(this.tableName, c) }));
      return 'created';
    } catch (err) {
      if (conditionCancelled(err)) return 'exists';
      throw err;
    }
  }

  async getCase(studyId: string, ref: string): Promise<ComplaintCase | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.case(studyId, ref), ConsistentRead: true }));
    return out.Item ? withoutKeys<ComplaintCase>(out.Item) : undefined;
  }

  async saveCase(next: ComplaintCase, step: CaseStep): Promise<void> {
    // `next.history` already ends with `step` (transitions.ts); the check keeps a caller honest.
    const full = next.history.at(-1) === step ? next : { ...next, history: [...next.history, step] };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: caseItem(full), ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': next.version - 1 } } },
            // The desk follows the provider triage confirmed.
            { Put: { TableName: this.tableName, Item: deskItem(full) } },
          ],
        }),
      );
    } catch (err) {
      if (conditionCancelled(err)) throw new StaleCaseError(next.ref);
      throw err;
    }
  }

  async listCases(studyId: string, filter?: { state?: CaseState; provider?: string }): Promise<ComplaintCase[]> {
    let found: ComplaintCase[];
    if (filter?.provider) {
      const desk = await this.index(keys.caseDeskIndex(studyId, filter.provider).gsi1pk);
      found = await this.byRefs(studyId, desk.map((d) => String(d.ref)));
      // The index lags a write by a moment: the case itself says whose desk it is on.
      found = found.filter((c) => c.provider === filter.provider);
    } else {
      const states = filter?.state ? [filter.state] : CASE_STATES;
      const pages = await Promise.all(states.map((s) => this.index(keys.caseStateIndex(studyId, s).gsi1pk)));
      found = pages.flat().map((i) => withoutKeys<ComplaintCase>(i));
    }
    return found.filter((c) => !filter?.state || c.state === filter.state).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.ref.localeCompare(b.ref));
  }

  async listParticipantCases(studyId: string, participantId: string): Promise<ComplaintCase[]> {
    const own = keys.participantCase(studyId, participantId, '');
    const pointers = await queryAll(this.doc, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': own.pk } });
    return this.byRefs(studyId, pointers.map((p) => String(p.ref)));
  }

  private index(gsi1pk: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.doc, { TableName: this.tableName, IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :pk', ExpressionAttributeValues: { ':pk': gsi1pk } });
  }

  private async byRefs(studyId: string, refs: readonly string[]): Promise<ComplaintCase[]> {
    const items = await batchGetAll(this.doc, this.tableName, refs.map((ref) => keys.case(studyId, ref)));
    return items.map((i) => withoutKeys<ComplaintCase>(i));
  }
}
