/**
 * A fake Africa's Talking voice platform for tests: places calls against the voice callback
 * over HTTP as AT does (form posts with isActive, sessionId, direction, callerNumber,
 * destinationNumber; dtmfDigits after a GetDigits and recordingUrl after a Record, each posted
 * to the callbackUrl the response named), reads every response strictly (test/support/
 * voice-xml.ts) and ends calls with isActive=0 and their duration and cost.
 */
import { readBody, respond, serveFake } from './fake-http.js';
import { keyOfUrl, parseVoiceXml, playUrls, responseProblems, type XmlElement } from './voice-xml.js';

export interface VoiceTurn {
  status: number;
  xml: string;
  /** The question waiting for an answer: GetDigits or Record, if any (none: the call ends). */
  ask?: XmlElement;
  /** Prompt keys played before the question, in order (from the Play URLs; a Say counts as its text). */
  heard: string[];
  /** The key of the question's own prompt. */
  askKey?: string;
}

function turnOf(status: number, xml: string): VoiceTurn {
  const problems = responseProblems(xml);
  if (problems.length) throw new Error(`AT would refuse this response (${problems.join('; ')}):\n${xml}`);
  const root = parseVoiceXml(xml);
  const ask = root.children.find((e) => e.name === 'GetDigits' || e.name === 'Record');
  const keyOf = (e: XmlElement) => (e.name === 'Play' ? keyOfUrl(e.attrs.url as string) : e.text);
  const heard = root.children.filter((e) => e.name === 'Say' || e.name === 'Play').map(keyOf);
  const prompt = ask?.children[0];
  return { status, xml, heard, ...(ask ? { ask } : {}), ...(prompt ? { askKey: keyOf(prompt) } : {}) };
}

export class FakeAtVoiceCall {
  private lastUrl: string;
  private lastBody: Record<string, string> = {};
  turn: VoiceTurn | undefined;
  /** Every response of this call, for checks over the whole call (Play URLs, well-formedness). */
  readonly responses: string[] = [];

  constructor(
    readonly url: string,
    readonly fields: { sessionId: string; callerNumber: string; destinationNumber: string; direction: 'Inbound' | 'Outbound' },
  ) {
    this.lastUrl = url;
  }

  private async post(url: string, extra: Record<string, string>): Promise<VoiceTurn> {
    this.lastUrl = url;
    this.lastBody = { isActive: '1', ...this.fields, ...extra };
    return this.send();
  }

  private async send(): Promise<VoiceTurn> {
    const res = await fetch(this.lastUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(this.lastBody).toString() });
    const xml = await res.text();
    this.responses.push(xml);
    this.turn = turnOf(res.status, xml);
    return this.turn;
  }

  /** The call connects: AT's first request. */
  start(): Promise<VoiceTurn> {
    return this.post(this.url, {});
  }

  private callbackOf(kind: 'GetDigits' | 'Record'): string {
    const ask = this.turn?.ask;
    if (ask?.name !== kind) throw new Error(`the call is not waiting for ${kind} but ${ask?.name ?? 'nothing'}:\n${this.turn?.xml}`);
    return ask.attrs.callbackUrl ?? this.url;
  }

  /** Keys pressed after a GetDigits (`''`: silence, AT posts no digits). */
  press(digits: string): Promise<VoiceTurn> {
    return this.post(this.callbackOf('GetDigits'), digits === '' ? {} : { dtmfDigits: digits });
  }

  /** A recording made after a Record (undefined: the caller said nothing). */
  record(recordingUrl?: string): Promise<VoiceTurn> {
    return this.post(this.callbackOf('Record'), recordingUrl ? { recordingUrl } : {});
  }

  /** The same request again, as AT resends one it got no answer to. */
  resend(): Promise<VoiceTurn> {
    return this.send();
  }

  /** The end-of-call request. */
  async hangUp(durationInSeconds = 42, amount = '1.25', currencyCode = 'KES'): Promise<number> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...this.fields, isActive: '0', durationInSeconds: String(durationInSeconds), amount, currencyCode }).toString(),
    });
    this.responses.push(await res.text());
    return res.status;
  }

  playUrls(): string[] {
    return this.responses.filter((x) => x.startsWith('<?xml')).flatMap(playUrls);
  }
}

export class FakeAtVoice {
  private calls = 0;
  constructor(
    readonly base: string,
    readonly token: string,
    readonly studyNumber = '+254711082000',
  ) {}

  /** An inbound call from a participant to the study's number. */
  call(callerNumber: string, sessionId = `ATVId_${(this.calls += 1)}_${callerNumber.slice(-4)}`): FakeAtVoiceCall {
    return new FakeAtVoiceCall(`${this.base}/at/${this.token}/voice`, { sessionId, callerNumber, destinationNumber: this.studyNumber, direction: 'Inbound' });
  }
}

/**
 * A local fake of AT's voice API as the SDK calls it (`${VOICE_URL}/call`: form fields
 * `username`, `to` (numbers joined by ','), `from`, `clientRequestId`; header `apikey`): it
 * answers `{ entries: [{ phoneNumber, status: 'Queued', sessionId }], errorMessage: 'None' }`
 * and records every call, so a test can then play AT's part for each (answer it with
 * `callOf`, or let it ring out with `noAnswer`). `refuse` answers one number with a status other
 * than Queued. Point the gateway at it with `baseUrl: api.url` (it serves under `/voice`).
 */
export interface PlacedCall {
  to: string;
  from: string;
  clientRequestId: string;
  username: string;
  apiKey: string | undefined;
  sessionId: string;
}

export interface FakeAtVoiceApi {
  url: string;
  placed: PlacedCall[];
  uploads: { url: string; phoneNumber: string }[];
  refuse: Map<string, string>;
  close(): Promise<void>;
}

export async function fakeAtVoiceApi(): Promise<FakeAtVoiceApi> {
  const placed: PlacedCall[] = [];
  const uploads: { url: string; phoneNumber: string }[] = [];
  const refuse = new Map<string, string>();
  let n = 0;
  const server = await serveFake(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    if (req.method === 'POST' && req.url === '/voice/call') {
      const entries = (form.to ?? '').split(',').map((phoneNumber) => {
        const refused = refuse.get(phoneNumber);
        if (refused) return { phoneNumber, status: refused, sessionId: 'None' };
        const sessionId = `ATVId_out_${(n += 1)}`;
        placed.push({ to: phoneNumber, from: form.from ?? '', clientRequestId: form.clientRequestId ?? '', username: form.username ?? '', apiKey: req.headers.apikey as string | undefined, sessionId });
        return { phoneNumber, status: 'Queued', sessionId };
      });
      return respond(res, 201, 'application/json', JSON.stringify({ entries, errorMessage: 'None' }));
    }
    if (req.method === 'POST' && req.url === '/voice/mediaUpload') {
      uploads.push({ url: form.url ?? '', phoneNumber: form.phoneNumber ?? '' });
      return respond(res, 201, 'text/plain', 'The request has been fulfilled and resulted in a new resource being created.');
    }
    respond(res, 404, 'text/plain', 'Not Found');
  });
  return { url: server.url, placed, uploads, refuse, close: () => server.close() };
}

/** AT's side of a call it placed: the participant's phone rings at `callback` (the study's voice URL). */
export function outboundCall(callback: string, placed: PlacedCall): FakeAtVoiceCall {
  return new FakeAtVoiceCall(callback, { sessionId: placed.sessionId, callerNumber: placed.from, destinationNumber: placed.to, direction: 'Outbound' });
}
