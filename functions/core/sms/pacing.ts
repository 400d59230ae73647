/**
 * The sender's own pace per provider: requests spaced at least `1 / requestsPerSecond` apart,
 * and a provider's "too fast" answer (SSL Wireless 4029/4031, HTTP 429) waits and asks again.
 *
 * In AWS every sender instance holds one pacer per provider at the provider's cap divided by
 * the event source's maxConcurrency (SAUTI_SEND_CONCURRENCY, set by the stack; instanceRate):
 * at most that many instances run at once, so together they stay under the cap with no shared
 * state and no cost per message (a DynamoDB token bucket would add a conditional write and a
 * round trip to every request, and a hot key, to win back the rounding of the share). Network
 * jitter can still bunch requests at the provider; its rate answer, handled here, covers that.
 *
 * Elapsed time, not the injected Clock: the local stack's clock runs fast (`--speed`), and a
 * provider's rate is in real seconds. Tests inject `now` and `sleep` (virtual time).
 */
export interface PacerOptions {
  requestsPerSecond: number;
  /** Monotonic milliseconds; `performance.now()` by default. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Waits before each retry of a rate-limited call; after the last, the answer stands (the queue retries later). */
  backoffMs?: readonly number[];
}

export const DEFAULT_RATE_BACKOFF_MS: readonly number[] = [1000, 2000, 4000];

export class Pacer {
  readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly backoffMs: readonly number[];
  /** When the next request may start. */
  private next = Number.NEGATIVE_INFINITY;

  constructor(options: PacerOptions) {
    if (!(options.requestsPerSecond > 0)) throw new Error(`a pace needs a positive rate, got ${options.requestsPerSecond}`);
    this.intervalMs = 1000 / options.requestsPerSecond;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.backoffMs = options.backoffMs ?? DEFAULT_RATE_BACKOFF_MS;
  }

  /** Waits for this caller's turn; turns are handed out in call order, even to concurrent callers. */
  async turn(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }

  /**
   * One provider request at its turn. When the answer says the provider refused it for its
   * rate, the same request goes again after a backoff (every later request of this pacer waits
   * too). Only for answers that refuse the whole request: then nothing went out, and asking
   * again cannot send a message twice.
   */
  async call<T>(request: () => Promise<T>, rateLimited: (answer: T) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      await this.turn();
      const answer = await request();
      const wait = this.backoffMs[attempt];
      if (wait === undefined || !rateLimited(answer)) return answer;
      this.next = Math.max(this.next, this.now() + wait);
    }
  }
}

/**
 * Each sender instance's share of a provider's cap when `concurrency` instances may run at
 * once. Whole requests a second where the share is at least one (cap 5, 2 instances: 2 each),
 * so that any one-second window holds at most the cap even when the instances' turns line up;
 * below one (more instances than the cap), the bare quotient, and the provider's rate answers
 * do the rest (keep maxConcurrency at most the smallest cap).
 */
export function instanceRate(requestsPerSecond: number, concurrency: number): number {
  const share = requestsPerSecond / Math.max(1, concurrency);
  return share >= 1 ? Math.floor(share) : share;
}
