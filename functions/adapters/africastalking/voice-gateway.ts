/**
 * The voice gateway port on Africa's Talking, through the official SDK's `VOICE.call`. The SDK
 * gaps are the SMS adapter's (sms-gateway.ts): no timeout (its `deadline` interceptor bounds
 * each call), no base-URL option (`VOICE_URL` on lib/common.js, set just before each call), and
 * errors that carry the API key (mapped here, never passed on).
 */
import AfricasTalking from 'africastalking';
import common from 'africastalking/lib/common.js';
import axios from 'axios/dist/node/axios.cjs';
import type { CallOutcome, CallRequest, VoiceGateway } from '../../core/ports/voice.js';
import { scrubbed as scrub } from '../http-json.js';
import { type AfricasTalkingConfig, deadline } from './sms-gateway.js';

const DEFAULT_TIMEOUT_MS = 8000;

export class AfricasTalkingVoiceGateway implements VoiceGateway {
  private readonly voice: AfricasTalking.Voice;
  private readonly timeoutMs: number;
  private readonly voiceUrl: string | undefined;

  constructor(config: AfricasTalkingConfig) {
    this.voice = AfricasTalking({ username: config.username, apiKey: config.apiKey }).VOICE;
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // AT's voice API lives on its own host (https://voice.africastalking.com/call); a fake serves it under /voice.
    this.voiceUrl = config.baseUrl === undefined ? undefined : `${config.baseUrl.replace(/\/+$/, '')}/voice`;
  }

  async placeCall(call: CallRequest): Promise<CallOutcome> {
    let result: AfricasTalking.CallResult;
    try {
      if (this.voiceUrl !== undefined) common.VOICE_URL = this.voiceUrl;
      result = await deadline.run({ timeoutMs: this.timeoutMs }, () => this.voice.call({ callFrom: call.from, callTo: [call.to], clientRequestId: call.clientRequestId }));
    } catch (error) {
      // The SDK's Joi validation rejects with a plain string: a number AT would refuse too.
      if (typeof error === 'string') return { status: 'failed', reason: scrub(error) };
      if (axios.isAxiosError(error)) {
        const status = error.response?.status;
        throw new Error(`Africa's Talking voice call failed: ${status === undefined ? (error.code ?? 'network error') : `HTTP ${status} ${scrub(error.response?.data)}`}`);
      }
      if (error instanceof Error) throw new Error(`Africa's Talking voice call failed: ${scrub(error.message)}`);
      result = error as AfricasTalking.CallResult;
    }
    const entry = result.entries?.[0];
    if (entry?.status === 'Queued' && entry.sessionId && entry.sessionId !== 'None') return { status: 'queued', sessionId: entry.sessionId };
    return { status: 'failed', reason: entry?.status ?? result.errorMessage ?? 'no entry in the answer' };
  }
}
