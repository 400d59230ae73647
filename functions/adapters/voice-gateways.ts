import type { VoiceGateway } from '../core/ports/voice.js';
import { AfricasTalkingVoiceGateway } from './africastalking/voice-gateway.js';
import { secretFields } from './sms-gateways.js';

/**
 * The dispatcher's voice gateway: Africa's Talking when its credentials are configured (the
 * SMS adapter's: environment variables locally, the Secrets Manager secret in AWS), none
 * otherwise. Without one the dispatcher places no call; there is no local outbox of calls.
 */
export async function voiceGatewayFromEnv(env: NodeJS.ProcessEnv): Promise<VoiceGateway | undefined> {
  const at = env.AT_USERNAME && env.AT_API_KEY ? { username: env.AT_USERNAME, apiKey: env.AT_API_KEY } : await secretFields(env.AT_CREDENTIALS_SECRET_ARN);
  if (!at?.username || !at.apiKey) return undefined;
  return new AfricasTalkingVoiceGateway({ username: at.username, apiKey: at.apiKey, ...(env.AT_BASE_URL ? { baseUrl: env.AT_BASE_URL } : {}) });
}
