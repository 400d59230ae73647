import { randomUUID } from 'node:crypto';
import { content } from '../../content/index.js';
import { dynamoPorts } from '../../functions/adapters/dynamo/ports.js';
import { type Clock, systemClock } from '../../functions/core/ports/index.js';
import { handleUssd, type UssdDeps } from '../../functions/core/ussd/service.js';
import { DEMO_SERVICE_CODE } from '../../infra/local/demo.js';
import { seedDemo } from '../../infra/local/seed.js';
import type { TestTable } from './dynamo.js';

/** The USSD service wired to a real DynamoDB Local table with the demo study seeded. */
export async function ussdService(t: TestTable, clock: Clock = systemClock) {
  const { study } = await seedDemo(t.doc, t.tableName, DEMO_SERVICE_CODE, clock.now());
  const ports = dynamoPorts(t.doc, t.tableName, clock);
  const deps: UssdDeps = {
    studies: ports.studies,
    store: ports.ussd,
    content,
    clock,
    newId: () => `p_${randomUUID().slice(0, 8)}`,
    log: { info: () => undefined, warn: () => undefined, error: (m, e) => console.error(m, e) },
  };
  const { participants } = ports;
  const dial = (sessionId: string, phoneNumber: string, text: string) =>
    handleUssd({ sessionId, serviceCode: DEMO_SERVICE_CODE, phoneNumber, text }, deps);
  return { study, deps, participants, dial };
}
