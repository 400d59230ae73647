import type { Content } from '../content/schema.js';
import type { Lang, Study } from '../model.js';
import { RECORD_MAX_SECONDS, type VoiceTurn } from './dialogue.js';
import { voiceKey, voicePrompts } from './prompts.js';
import { type Prompt, type SayVoice, type VoiceAction, voiceResponse } from './xml.js';

/** Where each prompt's recording is served, if there is one (a Play URL). */
export interface AudioCatalog {
  /** `text` is what the clip says, for a catalog that can make a missing recording (the local stack's espeak-ng). */
  url(lang: Lang, key: string, text?: string): string | undefined;
}

export interface RenderContext {
  content: Content;
  study?: Study;
  lang: Lang;
  audio: AudioCatalog;
  /** Where AT posts the answer to this turn's question (carries the step: replays are told apart). */
  callbackUrl?: string;
}

/** Finishing key of every GetDigits and Record: AT's default, said in the prompts as "hash". */
const FINISH = '#';

/**
 * One clip: its recording, or else the provider's text-to-speech of its text where content
 * allows it for the language (content:check keeps the other languages fully recorded).
 */
export function clip(key: string, r: RenderContext): Prompt | undefined {
  const text = voicePrompts(r.content, r.lang, r.study ? [r.study] : []).get(key);
  const url = r.audio.url(r.lang, key, text);
  if (url) return { kind: 'Play', url };
  if (!text) return undefined;
  const voice: SayVoice | undefined = r.content.voice?.tts[r.lang];
  return { kind: 'Say', text, ...(voice ? { voice } : {}) };
}

export function renderTurn(turn: VoiceTurn, r: RenderContext): string {
  const actions: VoiceAction[] = turn.lead.map((k) => clip(k, r)).filter((p): p is Prompt => p !== undefined);
  const ask = turn.ask;
  const prompt = ask ? clip(ask.prompt, r) : undefined;
  if (ask && prompt) {
    const callback = r.callbackUrl ? { callbackUrl: r.callbackUrl } : {};
    actions.push(
      ask.kind === 'digits'
        ? { kind: 'GetDigits', prompt, timeout: ask.timeout, finishOnKey: FINISH, ...(ask.numDigits ? { numDigits: ask.numDigits } : {}), ...callback }
        : { kind: 'Record', prompt, finishOnKey: FINISH, maxLength: RECORD_MAX_SECONDS, timeout: 5, trimSilence: true, playBeep: true, ...callback },
    );
  }
  return voiceResponse(actions);
}

/** A short message, then the call ends (nothing follows it in the response). */
export function messageResponse(key: 'sorry' | 'notEnrolled' | 'goodbye', r: RenderContext): string {
  const prompt = clip(voiceKey(key), r);
  return voiceResponse(prompt ? [prompt] : []);
}
