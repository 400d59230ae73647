import type { RecipientOutcome, SmsBatch, SmsGateway } from '../ports/sms.js';
import { type SmsProvider, SMS_PROVIDERS } from './providers.js';

/**
 * The one gateway the sender holds: each batch goes to the adapter of its study's provider.
 * A provider without credentials maps to the local outbox (never both for one provider), so
 * a study sends for real exactly when its own provider is configured.
 */
export class ProviderRouter implements SmsGateway {
  constructor(private readonly gateways: Readonly<Record<SmsProvider, SmsGateway>>) {}

  sendBulk(batch: SmsBatch): Promise<Map<string, RecipientOutcome>> {
    return this.gateways[batch.provider ?? 'africastalking'].sendBulk(batch);
  }

  /** The adapter behind each provider, e.g. to tell which go to the outbox. */
  get routes(): readonly { provider: SmsProvider; gateway: SmsGateway }[] {
    return SMS_PROVIDERS.map((provider) => ({ provider, gateway: this.gateways[provider] }));
  }
}
