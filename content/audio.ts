/**
 * `npm run audio`: the voice prompts' recordings for the local stack and tests, generated from
 * their text with espeak-ng into .cache/audio/ (git-ignored). Idempotent: a file is made again
 * only when its text changed. Field recordings in content/audio/<lang>/ are used instead and
 * never overwritten. The local stack also makes a missing one on first use.
 */
import { fileURLToPath } from 'node:url';
import { ensureAllAudio, espeakAvailable, GENERATED_AUDIO_DIR } from '../functions/adapters/audio-files.js';
import type { Study } from '../functions/core/model.js';
import { demoStudy, dhakaStudy } from '../infra/local/demo.js';
import { content } from './index.js';

/** The studies whose provider lists are prompts too: the demo studies the local stack seeds. */
export const audioStudies = (): Study[] => [demoStudy('*384*123#', new Date(0)), dhakaStudy(new Date(0))];

export function generateAudio(): ReturnType<typeof ensureAllAudio> {
  return ensureAllAudio(content, audioStudies());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!espeakAvailable()) {
    console.error('espeak-ng is not installed (Debian/Ubuntu: sudo apt-get install espeak-ng; macOS: brew install espeak-ng).');
    process.exit(1);
  }
  const started = performance.now();
  const r = generateAudio();
  console.log(`Voice prompts: ${r.generated} generated, ${r.present} up to date, into ${GENERATED_AUDIO_DIR} (${Math.round(performance.now() - started)} ms).`);
  if (r.missing.length) {
    console.error(`No recording and no espeak-ng voice for: ${r.missing.join(', ')}`);
    process.exit(1);
  }
}
