/**
 * The HTTP routes of Sauti, shared by the CDK app (API Gateway HTTP API) and the local
 * stack's server, so both expose the very same paths to the very same handlers.
 */
export type LambdaName = 'ussd' | 'atCallbacks';

export interface Route {
  method: 'GET' | 'POST';
  /** API Gateway route path; `{token}` is the Africa's Talking callback path token. */
  path: string;
  lambda: LambdaName | 'health';
}

export const routes: readonly Route[] = [
  { method: 'POST', path: '/at/{token}/ussd', lambda: 'ussd' },
  { method: 'POST', path: '/at/{token}/ussd/events', lambda: 'atCallbacks' },
  { method: 'POST', path: '/at/{token}/sms', lambda: 'atCallbacks' },
  { method: 'POST', path: '/at/{token}/sms/delivery', lambda: 'atCallbacks' },
  { method: 'GET', path: '/health', lambda: 'health' },
];

/** Entry file of each Lambda, relative to the repository root. */
export const lambdaEntries: Record<LambdaName, string> = {
  ussd: 'functions/ussd/handler.ts',
  atCallbacks: 'functions/at-callbacks/handler.ts',
};
