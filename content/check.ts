/**
 * `npm run content:check`: validates everything in content/ (schema, translations, skip
 * logic, reachability, USSD screen limits, SMS budgets) and prints the SMS segments per
 * item and language. Exits 1 on any problem.
 */
import { SMS_LIMITS } from '../functions/core/text/segments.js';
import { contentProblems } from '../functions/core/content/check.js';
import { smsRows } from '../functions/core/content/check-screens.js';
import { type Content, contentSchema } from '../functions/core/content/schema.js';
import { explore } from '../functions/core/questionnaire/reach.js';
import { capabilityWarnings, PROVIDERS, providerOf } from '../functions/core/sms/providers.js';
import { demoStudy, dhakaStudy } from '../infra/local/demo.js';
import { loadContentFromDisk } from './load.js';
import { espeakAvailable, recordingFile } from '../functions/adapters/audio-files.js';
import { voiceProblems } from '../functions/core/content/check-voice.js';
import { audioStudies, generateAudio } from './audio.js';

const raw = loadContentFromDisk();
const problems = contentProblems(raw);
const parsed = contentSchema.safeParse(raw);

if (parsed.success) {
  const content: Content = parsed.data;
  const langs = content.languages;
  const rows = smsRows(content);
  const width = Math.max(4, ...rows.map((r) => r.item.length));
  console.log(`SMS segments per item and language (GSM-7 ${SMS_LIMITS['GSM-7'].single}/${SMS_LIMITS['GSM-7'].part}, UCS-2 ${SMS_LIMITS['UCS-2'].single}/${SMS_LIMITS['UCS-2'].part}; * = over budget)\n`);
  console.log(`${'item'.padEnd(width)}  budget  ${langs.map((l) => l.padEnd(14)).join('')}`);
  for (const r of rows) {
    const cells = langs.map((l) => {
      const s = r.sizes[l];
      return (s ? `${s.segments}${s.segments > r.budget ? '*' : ''} ${s.encoding === 'GSM-7' ? 'gsm' : 'ucs2'} ${s.length}` : '-').padEnd(14);
    });
    console.log(`${r.item.padEnd(width)}  ${String(r.budget).padEnd(6)}  ${cells.join('')}`);
  }
  const total = (l: string) => rows.reduce((n, r) => n + (r.sizes[l]?.segments ?? 0), 0);
  console.log(`${'total'.padEnd(width)}          ${langs.map((l) => String(total(l)).padEnd(14)).join('')}\n`);
  for (const form of [content.baseline, ...(content.diary ? [content.diary] : [])]) {
    if (problems.some((p) => p.startsWith(`${form.id}.`))) continue;
    const weeks = explore(form).askedPerWeek.map((w) => `week ${w.week}: ${w.min}-${w.max}`).join(', ');
    console.log(`${form.id}: ${form.questions.length} questions; asked per respondent ${weeks}`);
  }
}

// The demo studies' channel mix against what their providers can do: warnings, not failures
// (a study may knowingly send where no delivery report comes back).
for (const study of [demoStudy('*384*123#', new Date(0)), dhakaStudy(new Date(0))]) {
  const provider = providerOf(study);
  const oneWay = !PROVIDERS[provider].twoWay(study.country);
  console.log(`${study.studyId}: SMS through ${PROVIDERS[provider].label}${oneWay ? ', one-way: prompts and reminders offer USSD only (sms.promptOneWay, sms.reminderOneWay)' : ''}`);
  for (const w of capabilityWarnings(study, { sms: true, smsReplies: study.smsShortCode !== undefined, languages: study.languages })) console.log(`  warning: ${w}`);
}

// Every voice prompt needs a recording in every language without TTS: generated first where
// espeak-ng is installed (idempotent, npm run audio), so a fresh clone checks what it would play.
if (parsed.success && problems.length === 0) {
  if (espeakAvailable()) {
    const r = generateAudio();
    console.log(`Voice prompts: ${r.generated} recording(s) generated, ${r.present} up to date (espeak-ng, .cache/audio; field recordings in content/audio/ win).`);
  } else {
    console.log('Voice prompts: espeak-ng is not installed, so only field recordings in content/audio/ count.');
  }
  problems.push(...voiceProblems(parsed.data, { studies: audioStudies(), has: (lang, key) => recordingFile(lang, key) !== undefined }).filter((p) => p.startsWith('voice: missing recording')));
}

if (problems.length) {
  console.error(`\n${problems.length} content problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
console.log('\nContent check passed.');
