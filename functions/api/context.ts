import type { DynamoPorts } from '../adapters/dynamo/ports.js';
import type { Content } from '../core/content/schema.js';
import type { Study } from '../core/model.js';
import type { Clock, ForgetQueue, Logger } from '../core/ports/index.js';
import type { ApiRequest } from './routes.js';

/** What every group of API handlers shares: the ports, clock, log, content, the study of a request. */
export interface ApiContext {
  ports: DynamoPorts;
  clock: Clock;
  log: Logger;
  content: () => Promise<Content>;
  /** The study named in the path, or a 404. */
  study: (r: ApiRequest) => Promise<Study>;
  /** "Forget me" runs off the request (functions/forget). */
  forgets: ForgetQueue;
}
