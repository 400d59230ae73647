/**
 * Africa's Talking voice responses, typed. Hand-written rather than the SDK's ActionBuilder
 * (`africastalking/lib/actionbuilder.js`): that builder is untyped, concatenates text and
 * attributes without escaping (a `&` or `<` in a prompt makes the XML invalid, and invalid XML
 * ends the call), accepts any nesting through its `children` object (a nested `reject` even
 * emits a Redirect), and insists on https URLs, which the local stack does not serve. Here the
 * types only allow what AT accepts: GetDigits and Record hold exactly one Say or Play, and the
 * output is always well-formed.
 */

export type SayVoice = 'man' | 'woman';

export type Say = { kind: 'Say'; text: string; voice?: SayVoice; playBeep?: boolean };
export type Play = { kind: 'Play'; url: string };
/** What GetDigits and Record may hold: exactly one prompt. */
export type Prompt = Say | Play;

export type GetDigits = {
  kind: 'GetDigits';
  prompt: Prompt;
  numDigits?: number;
  /** Seconds AT waits for the first key. */
  timeout?: number;
  finishOnKey?: string;
  callbackUrl?: string;
};

export type Record = {
  kind: 'Record';
  prompt: Prompt;
  finishOnKey?: string;
  /** Seconds of recording at most. */
  maxLength?: number;
  timeout?: number;
  trimSilence?: boolean;
  playBeep?: boolean;
  callbackUrl?: string;
};

export type Redirect = { kind: 'Redirect'; url: string };
export type Reject = { kind: 'Reject' };

export type VoiceAction = Say | Play | GetDigits | Record | Redirect | Reject;

/** The elements a response may contain, for tests that check what came back. */
export const VOICE_ELEMENTS = ['Response', 'Say', 'Play', 'GetDigits', 'Record', 'Redirect', 'Reject'] as const;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Escapes text and attribute values; drops characters XML 1.0 cannot carry at all. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

type Attrs = Readonly<{ [name: string]: string | number | boolean | undefined }>;

function attributes(attrs: Attrs): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
}

function element(tag: string, attrs: Attrs, inner?: string): string {
  return inner === undefined || inner === '' ? `<${tag}${attributes(attrs)}/>` : `<${tag}${attributes(attrs)}>${inner}</${tag}>`;
}

function render(a: VoiceAction): string {
  switch (a.kind) {
    case 'Say':
      return element('Say', { voice: a.voice, playBeep: a.playBeep }, escapeXml(a.text));
    case 'Play':
      return element('Play', { url: a.url });
    case 'GetDigits':
      return element('GetDigits', { numDigits: a.numDigits, timeout: a.timeout, finishOnKey: a.finishOnKey, callbackUrl: a.callbackUrl }, render(a.prompt));
    case 'Record':
      return element(
        'Record',
        { finishOnKey: a.finishOnKey, maxLength: a.maxLength, timeout: a.timeout, trimSilence: a.trimSilence, playBeep: a.playBeep, callbackUrl: a.callbackUrl },
        render(a.prompt),
      );
    case 'Redirect':
      return element('Redirect', {}, escapeXml(a.url));
    case 'Reject':
      return element('Reject', {});
  }
}

/** The whole response AT reads; no actions is an empty Response, which ends the call. */
export function voiceResponse(actions: readonly VoiceAction[]): string {
  return `${XML_DECLARATION}<Response>${actions.map(render).join('')}</Response>`;
}
