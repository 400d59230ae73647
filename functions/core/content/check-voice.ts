import type { Content } from './schema.js';
import { voicePrompts } from '../voice/prompts.js';
import { PROVIDER_TTS_LANGUAGES } from '../voice/tts.js';
import type { Study } from '../model.js';

/**
 * The voice channel's content: its strings in every language, TTS fallback only where the
 * provider's TTS speaks the language (Africa's Talking: English), and, given a way to look
 * recordings up, a recording for every prompt in every language without that fallback.
 */
export function voiceProblems(c: Content, recordings?: { studies: readonly Study[]; has: (lang: string, key: string) => boolean }): string[] {
  const voice = c.voice;
  if (!voice) return [];
  const problems: string[] = [];
  const speaks = PROVIDER_TTS_LANGUAGES.africastalking;
  for (const lang of Object.keys(voice.tts)) {
    if (!speaks.includes(lang)) problems.push(`voice.tts.${lang}: Africa's Talking's text-to-speech does not speak "${lang}" (only ${speaks.join(', ')}): record its prompts instead`);
  }
  for (const lang of c.languages) {
    const s = voice.strings[lang];
    if (!s) {
      problems.push(`voice.strings: missing language "${lang}"`);
      continue;
    }
    if (!s.pressFor.includes('{n}') || !s.pressFor.includes('{label}')) problems.push(`voice.strings.pressFor [${lang}]: needs {n} and {label}`);
    if (!recordings || lang in voice.tts) continue;
    for (const key of voicePrompts(c, lang, recordings.studies).keys()) {
      if (!recordings.has(lang, key)) problems.push(`voice: missing recording audio/${lang}/${key} (drop one into content/audio/${lang}/, or run npm run audio with espeak-ng installed)`);
    }
  }
  return problems;
}
