/**
 * Every voice response is one AT accepts: well-formed XML of the allowed elements, GetDigits
 * and Record holding exactly one Say or Play, and every Play URL naming a recording that
 * exists. Checked on the builder with any text, and on the dialogue under any key sequence, in
 * every language and both arms.
 */
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { generateAudio } from '../../content/audio.js';
import { audioFileForUrl, localAudioCatalog } from '../../functions/adapters/audio-files.js';
import type { AnswerValue, Participant } from '../../functions/core/model.js';
import { advanceVoice, beginCall, turnOf, type VoiceContext, type VoiceState } from '../../functions/core/voice/dialogue.js';
import { renderTurn } from '../../functions/core/voice/render.js';
import { type Prompt, type VoiceAction, voiceResponse } from '../../functions/core/voice/xml.js';
import { participant, study } from '../support/fixtures.js';
import { parseVoiceXml, playUrls, responseProblems } from '../support/voice-xml.js';

const BASE = 'http://127.0.0.1:3000/audio';
const catalog = localAudioCatalog(BASE);

beforeAll(() => {
  generateAudio();
}, 180_000);

/** The file a Play URL names, through the same lookup the local server serves /audio/ with. */
function fileOf(url: string): string | undefined {
  const path = new URL(url).pathname;
  const m = /^\/audio\/([^/]+)\/([^/]+)$/.exec(path);
  return m ? audioFileForUrl(decodeURIComponent(m[1] as string), decodeURIComponent(m[2] as string)) : undefined;
}

const anyText = fc.string({ unit: 'binary', maxLength: 60 });
const say = fc.record({ kind: fc.constant('Say' as const), text: anyText, voice: fc.option(fc.constantFrom('man' as const, 'woman' as const), { nil: undefined }), playBeep: fc.option(fc.boolean(), { nil: undefined }) });
// URLs as AT would be given them, with query strings that need escaping (`&`).
const url = fc.webUrl({ withQueryParameters: true, withFragments: true });
const play = fc.record({ kind: fc.constant('Play' as const), url });
const prompt: fc.Arbitrary<Prompt> = fc.oneof(say, play);
const optionalNat = fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined });
const action: fc.Arbitrary<VoiceAction> = fc.oneof(
  say,
  play,
  fc.record({ kind: fc.constant('GetDigits' as const), prompt, numDigits: optionalNat, timeout: optionalNat, finishOnKey: fc.option(fc.constantFrom('#', '*'), { nil: undefined }), callbackUrl: fc.option(url, { nil: undefined }) }),
  fc.record({ kind: fc.constant('Record' as const), prompt, maxLength: optionalNat, timeout: optionalNat, trimSilence: fc.option(fc.boolean(), { nil: undefined }), playBeep: fc.option(fc.boolean(), { nil: undefined }), finishOnKey: fc.constant('#'), callbackUrl: fc.option(url, { nil: undefined }) }),
  fc.record({ kind: fc.constant('Redirect' as const), url }),
  fc.constant({ kind: 'Reject' as const }),
);

/** What XML 1.0 can carry of a string: the builder drops the rest (control characters, lone surrogates). */
const carried = (s: string) =>
  s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');

describe('voice XML builder', () => {
  it('is well-formed with any text and attributes, holds one prompt per GetDigits/Record, and keeps the text', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 6 }), (actions) => {
        const xml = voiceResponse(actions);
        expect(responseProblems(xml)).toEqual([]);
        const root = parseVoiceXml(xml);
        expect(root.children.map((c) => c.name)).toEqual(actions.map((a) => a.kind));
        actions.forEach((a, i) => {
          const el = root.children[i]!;
          if (a.kind === 'Say') expect(el.text).toBe(carried(a.text));
          if (a.kind === 'Play') expect(el.attrs.url ?? '').toBe(carried(a.url));
          if (a.kind === 'GetDigits' || a.kind === 'Record') expect(el.children).toHaveLength(1);
        });
      }),
    );
  });

  it('escapes what would break the XML', () => {
    expect(voiceResponse([{ kind: 'Say', text: 'M-Pesa & <Bank> "A" \'B\'' }])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>M-Pesa &amp; &lt;Bank&gt; &quot;A&quot; &apos;B&apos;</Say></Response>');
    expect(voiceResponse([])).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
});

const key = fc.oneof(
  fc.constantFrom('', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#', '99', '12'),
  fc.integer({ min: 0, max: 2_000_000 }).map(String),
);
const input = fc.oneof({ weight: 9, arbitrary: key.map((digits) => ({ digits })) }, { weight: 1, arbitrary: fc.constantFrom({ recordingUrl: 'https://media.example/r.mp3' }, {}) });

describe('voice dialogue responses', () => {
  it('under any key sequence, in every language and arm: valid AT XML whose Play URLs all resolve to recordings, and no lesson for control', () => {
    const s = study();
    fc.assert(
      fc.property(fc.constantFrom(...content.languages), fc.constantFrom('treatment', 'control'), fc.integer({ min: 0, max: 7 }), fc.array(input, { maxLength: 30 }), (lang, armId, studyWeek, inputs) => {
        let p: Participant = participant({ lang, armId });
        const answers: Record<string, AnswerValue | null> = {};
        let complete = false;
        const ctx = (): VoiceContext => ({ study: s, content, participant: p, diary: { studyWeek, answers: { ...answers }, complete }, sessionId: 'prop-1', lang });
        const respond = (state: VoiceState, lead: string[]) => {
          const xml = renderTurn(turnOf(state, lead, ctx()), { content, study: s, lang, audio: catalog, callbackUrl: 'http://127.0.0.1:3000/at/t/voice?step=1&lang=sw' });
          expect(responseProblems(xml)).toEqual([]);
          for (const url of playUrls(xml)) {
            expect(new URL(url).pathname.startsWith(`/audio/${lang}/`)).toBe(true);
            expect(existsSync(fileOf(url) ?? ''), url).toBe(true);
          }
          if (armId === 'control') expect(xml).not.toMatch(/lesson\.|quiz\.|feedback\./);
        };
        let step = beginCall(ctx());
        respond(step.state, step.lead);
        for (const i of inputs) {
          if (step.state.at === 'ended') break;
          step = advanceVoice(step.state, i, ctx());
          for (const e of step.effects) {
            if (e.type === 'answer') answers[e.questionId] = e.value;
            if (e.type === 'complete') complete = true;
            if (e.type === 'lessonDone') {
              expect(armId).toBe('treatment');
              p = { ...p, lessons: { ...(p.lessons ?? {}), [e.lessonKey]: { choice: e.choice, correct: e.correct, at: 'x', sessionId: 'prop-1' } } };
            }
          }
          respond(step.state, step.lead);
        }
      }),
      { numRuns: 150 },
    );
  });
});
