import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Content } from '../core/content/schema.js';
import type { Lang, Study } from '../core/model.js';
import { voicePrompts } from '../core/voice/prompts.js';
import type { AudioCatalog } from '../core/voice/render.js';

/**
 * The voice prompts' recordings on this machine. Field recordings dropped into
 * `content/audio/<lang>/<key>.<mp3|wav>` win; otherwise `.cache/audio/<lang>/<key>.wav`,
 * generated from the prompt's text by espeak-ng (Debian's `espeak-ng` speaks English, Kiswahili
 * and Bengali: enough for an audible local demo). Generated files are git-ignored and made again
 * only when their text changes (a `.txt` beside each holds the hash of what it says).
 * Local stack, tests and scripts only: a deployment serves recordings over HTTPS (phase 2).
 */

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const FIELD_AUDIO_DIR = join(repoRoot, 'content', 'audio');
export const GENERATED_AUDIO_DIR = join(repoRoot, '.cache', 'audio');
const FIELD_EXTENSIONS = ['mp3', 'wav'] as const;

/** espeak-ng voices for the languages the content speaks. */
const ESPEAK_VOICES: Record<string, string> = { en: 'en', sw: 'sw', bn: 'bn' };

/** A prompt key as a file name: keys are ids joined by dots; anything else is refused. */
const SAFE = /^[a-z0-9][a-z0-9_.-]*$/i;

export function fieldRecording(lang: Lang, key: string): string | undefined {
  if (!SAFE.test(key) || !SAFE.test(lang)) return undefined;
  for (const ext of FIELD_EXTENSIONS) {
    const file = join(FIELD_AUDIO_DIR, lang, `${key}.${ext}`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

const generatedFile = (lang: Lang, key: string) => join(GENERATED_AUDIO_DIR, lang, `${key}.wav`);
const stamp = (voice: string, text: string) => createHash('sha256').update(`${voice}\n${text}`).digest('hex').slice(0, 16);

let espeakPresent: boolean | undefined;
export function espeakAvailable(): boolean {
  if (espeakPresent === undefined) {
    try {
      execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
      espeakPresent = true;
    } catch {
      espeakPresent = false;
    }
  }
  return espeakPresent;
}

/**
 * Makes the generated recording of one prompt if it is missing or says something else now.
 * Returns the file, or undefined when espeak-ng is absent or does not speak the language.
 */
export function ensureGenerated(lang: Lang, key: string, text: string): string | undefined {
  const voice = ESPEAK_VOICES[lang];
  if (!voice || !SAFE.test(key) || !espeakAvailable()) return undefined;
  const file = generatedFile(lang, key);
  const want = stamp(voice, text);
  const sidecar = `${file}.txt`;
  if (existsSync(file) && existsSync(sidecar) && readFileSync(sidecar, 'utf8') === want) return file;
  mkdirSync(dirname(file), { recursive: true });
  // Written aside and renamed: a concurrent reader never sees half a file.
  const partial = `${file}.${process.pid}.partial`;
  execFileSync('espeak-ng', ['-v', voice, '-s', '150', '-w', partial, '--', text], { stdio: 'ignore' });
  renameSync(partial, file);
  writeFileSync(sidecar, want);
  return file;
}

/** The recording of a prompt on disk, field recording first; generated on demand when `text` is given. */
export function recordingFile(lang: Lang, key: string, text?: string): string | undefined {
  const field = fieldRecording(lang, key);
  if (field) return field;
  if (text !== undefined) return ensureGenerated(lang, key, text);
  const file = generatedFile(lang, key);
  return SAFE.test(key) && existsSync(file) ? file : undefined;
}

/** The file a local `/audio/<lang>/<name>` URL names, if it exists (never outside the audio folders). */
export function audioFileForUrl(lang: string, name: string): string | undefined {
  const m = /^(.+)\.(mp3|wav)$/.exec(name);
  if (!m || !SAFE.test(lang) || !SAFE.test(m[1] as string)) return undefined;
  const field = join(FIELD_AUDIO_DIR, lang, name);
  if (existsSync(field)) return field;
  const generated = join(GENERATED_AUDIO_DIR, lang, name);
  return m[2] === 'wav' && existsSync(generated) ? generated : undefined;
}

/**
 * The local catalog: a Play URL under `baseUrl` for every prompt with a recording, generating
 * the missing ones from their text on first use (so a fresh clone speaks without a build step).
 */
export function localAudioCatalog(baseUrl: string | (() => string)): AudioCatalog {
  return {
    url(lang, key, text) {
      const file = recordingFile(lang, key, text);
      if (!file) return undefined;
      const base = typeof baseUrl === 'function' ? baseUrl() : baseUrl;
      return `${base.replace(/\/$/, '')}/${encodeURIComponent(lang)}/${encodeURIComponent(file.slice(file.lastIndexOf('/') + 1))}`;
    },
  };
}

/** `npm run audio` and content:check: every prompt of the content (and the studies' provider lists) in every language. */
export function ensureAllAudio(content: Content, studies: readonly Study[]): { generated: number; present: number; missing: string[] } {
  let generated = 0;
  let present = 0;
  const missing: string[] = [];
  for (const lang of content.languages) {
    for (const [key, text] of voicePrompts(content, lang, studies)) {
      if (fieldRecording(lang, key)) {
        present += 1;
        continue;
      }
      const before = existsSync(generatedFile(lang, key)) && existsSync(`${generatedFile(lang, key)}.txt`) ? readFileSync(`${generatedFile(lang, key)}.txt`, 'utf8') : undefined;
      const file = ensureGenerated(lang, key, text);
      if (!file) missing.push(`${lang}/${key}`);
      else if (before !== readFileSync(`${file}.txt`, 'utf8')) generated += 1;
      else present += 1;
    }
  }
  return { generated, present, missing };
}
