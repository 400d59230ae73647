/**
 * The HTTP routes of Sauti, shared by the CDK app (API Gateway HTTP API) and the local
 * stack's server, so both expose the very same paths to the very same handlers.
 */
export type LambdaName = 'ussd' | 'atCallbacks' | 'api' | 'voice';

/** Lambdas not behind HTTP: the SQS-triggered sender and forget worker, and the scheduled dispatcher. */
export type WorkerName = 'sender' | 'dispatcher' | 'forget';

export interface Route {
  method: 'GET' | 'POST';
  /**
   * API Gateway route path; `{token}` is the Africa's Talking callback path token, `{proxy+}`
   * the rest of an admin API path (the API Lambda routes it).
   */
  path: string;
  lambda: LambdaName | 'health';
  /** Admin API: a bearer token (a Cognito JWT in AWS) is required before the Lambda runs. */
  auth?: 'jwt';
}

export const routes: readonly Route[] = [
  { method: 'POST', path: '/at/{token}/ussd', lambda: 'ussd' },
  { method: 'POST', path: '/at/{token}/ussd/events', lambda: 'atCallbacks' },
  { method: 'POST', path: '/at/{token}/sms', lambda: 'atCallbacks' },
  { method: 'POST', path: '/at/{token}/sms/delivery', lambda: 'atCallbacks' },
  // Africa's Talking voice callback: every step of an IVR call, and the end-of-call request.
  { method: 'POST', path: '/at/{token}/voice', lambda: 'voice' },
  // Infobip webhooks: same Lambda, same path-token scheme, JSON bodies.
  { method: 'POST', path: '/hooks/{token}/infobip/reports', lambda: 'atCallbacks' },
  { method: 'POST', path: '/hooks/{token}/infobip/inbound', lambda: 'atCallbacks' },
  { method: 'GET', path: '/health', lambda: 'health' },
  { method: 'GET', path: '/api/v1/{proxy+}', lambda: 'api', auth: 'jwt' },
  { method: 'POST', path: '/api/v1/{proxy+}', lambda: 'api', auth: 'jwt' },
];

/** Entry file of each Lambda, relative to the repository root. */
export const lambdaEntries: Record<LambdaName | WorkerName, string> = {
  ussd: 'functions/ussd/handler.ts',
  atCallbacks: 'functions/at-callbacks/handler.ts',
  api: 'functions/api/handler.ts',
  sender: 'functions/sms-send/handler.ts',
  dispatcher: 'functions/dispatcher/handler.ts',
  forget: 'functions/forget/handler.ts',
  voice: 'functions/voice/handler.ts',
};
