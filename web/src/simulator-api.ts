/** The local stack's simulator endpoints (infra/local/simulator.ts); no sign-in. */
export interface SimStudy {
  studyId: string;
  name: string;
  serviceCode: string;
  smsShortCode?: string;
  phones: { phone: string; label: string }[];
}

export interface SimMessage {
  id: string;
  from?: string;
  text: string;
  at: string;
}

async function call<T>(path: string, init?: { method: 'POST'; body: unknown }): Promise<T> {
  const res = await fetch(`/local/simulator${path}`, init ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {});
  const data = (await res.json().catch(() => ({}))) as T & { error?: string; problems?: { field: string; message: string }[] };
  if (!res.ok) throw new Error(`${data.error ?? `The simulator answered ${res.status}.`}${data.problems ? ` ${data.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}` : ''}`);
  return data;
}

export const simulator = {
  config: () => call<{ studies: SimStudy[] }>('/config'),
  ussd: (body: { sessionId: string; phoneNumber: string; serviceCode: string; text: string }) => call<{ screen: string; end: boolean; raw: string }>('/ussd', { method: 'POST', body }),
  sms: (body: { from: string; to: string; text: string }) => call<{ id: string }>('/sms', { method: 'POST', body }),
  /** A throw-away synthetic participant for the guided tour (never a seeded or real one). */
  tour: (body: { studyId: string }) => call<{ phone: string; label: string }>('/tour', { method: 'POST', body }),
  inbox: (phone: string) => call<{ messages: SimMessage[] }>(`/inbox?phone=${encodeURIComponent(phone)}`),
};
