import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seeded } from '../support/seeded.js';

/**
 * Faults injected into a real DynamoDB client through its middleware stack, inside the SDK's
 * retry loop, so the client's own retry policy (functions/adapters/dynamo/client.ts) is what
 * meets them. Shaped as the service sends them: the error names and HTTP statuses the SDK
 * classifies as throttling / transient.
 */
export type FaultKind = 'throttle' | 'provisioned' | 'server-error' | 'crash';

export interface FaultPlan {
  /** Share of calls (attempts, retries included) that fail, 0..1. */
  rate: number;
  /** Share of the injected faults that strike after DynamoDB applied the call (the answer is lost, the write is not). */
  afterShare?: number;
  /** Only these commands (e.g. TransactWriteItemsCommand); all when unset. */
  only?: (command: string) => boolean;
  kinds?: Exclude<FaultKind, 'crash'>[];
}

export interface FaultStats {
  /** Attempts that reached the injector (every try of every call). */
  attempts: number;
  injected: Record<FaultKind, number>;
  /** Of the injected, those after the call was applied. */
  afterApplied: number;
  /** Extra attempts the SDK made (from `$metadata.attempts`). */
  retries: number;
  /** Calls that failed for the caller with an injected fault (the SDK gave up, or no retry applied). */
  failedCalls: number;
}

export interface FaultController {
  stats: FaultStats;
  set(plan: FaultPlan | undefined): void;
  /**
   * The `count`-th `command` is applied, then it and every later call fail with a
   * non-retryable error: the process died there (nothing after it reaches the store).
   */
  crashAfter(command: string, count: number): void;
  /** True once a `crashAfter` struck: other parts of the dead process (its queue) stop too. */
  crashed(): boolean;
  /** Total injected faults. */
  total(): number;
}


function fault(kind: FaultKind, command: string): Error {
  const [name, status, fault] =
    kind === 'throttle' ? ['ThrottlingException', 400, 'client'] :
    kind === 'provisioned' ? ['ProvisionedThroughputExceededException', 400, 'client'] :
    kind === 'server-error' ? ['InternalServerError', 500, 'server'] :
    ['SimulatedCrash', 400, 'client'];
  return Object.assign(new Error(`injected ${name} on ${command}`), { name, $fault: fault, $metadata: { httpStatusCode: status } });
}

export function injectFaults(doc: DynamoDBDocumentClient, seed = 1): FaultController {
  const random = seeded(seed);
  const stats: FaultStats = { attempts: 0, injected: { throttle: 0, provisioned: 0, 'server-error': 0, crash: 0 }, afterApplied: 0, retries: 0, failedCalls: 0 };
  let plan: FaultPlan | undefined;
  let crash: { command: string; left: number } | undefined;

  // Inside the retry loop: every attempt passes here.
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const command = String(context.commandName ?? '');
      stats.attempts += 1;
      if (crash && crash.left <= 0) {
        stats.injected.crash += 1;
        throw fault('crash', command);
      }
      const p = plan;
      const strike = p && (!p.only || p.only(command)) && random() < p.rate;
      if (!strike) {
        const out = await next(args);
        if (crash && command === crash.command && (crash.left -= 1) <= 0) {
          // Died right after DynamoDB applied it: the caller never learns it succeeded.
          stats.injected.crash += 1;
          throw fault('crash', command);
        }
        return out;
      }
      const kinds = p.kinds ?? ['throttle', 'provisioned', 'server-error'];
      const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
      stats.injected[kind] += 1;
      if (random() < (p.afterShare ?? 0)) {
        await next(args);
        stats.afterApplied += 1;
      }
      throw fault(kind, command);
    },
    { step: 'deserialize', priority: 'high', name: 'reliabilityFaults' },
  );
  // Outside the retry loop: what the caller finally saw.
  doc.middlewareStack.add(
    (next) => async (args) => {
      try {
        const out = await next(args);
        stats.retries += Math.max(0, ((out.output as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) - 1);
        return out;
      } catch (err) {
        // Only the calls an injected fault defeated (a conditional write refused is no fault).
        if (err instanceof Error && err.message.startsWith('injected ')) stats.failedCalls += 1;
        stats.retries += Math.max(0, ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) - 1);
        throw err;
      }
    },
    { step: 'initialize', priority: 'high', name: 'reliabilityFaultStats' },
  );
  return {
    stats,
    set(p) {
      plan = p;
    },
    crashAfter(command, count) {
      crash = { command, left: count };
    },
    crashed: () => crash !== undefined && crash.left <= 0,
    total: () => Object.values(stats.injected).reduce((a, b) => a + b, 0),
  };
}
