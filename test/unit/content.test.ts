import { describe, expect, it } from 'vitest';
import { content } from '../../content/index.js';
import { loadContentFromDisk } from '../../content/load.js';
import { contentProblems } from '../../functions/core/content/check.js';
import { type Content, contentSchema } from '../../functions/core/content/schema.js';
import { buildPhoneMetadata, phoneMetadataPath } from '../../infra/phone-metadata.js';
import { readFileSync } from 'node:fs';

const valid = (): Content => structuredClone(content);

describe('content', () => {
  it('passes every content check (npm run content:check)', () => {
    expect(contentProblems(loadContentFromDisk())).toEqual([]);
  });

  it('is bundled whole: index.ts holds everything that is on disk', () => {
    expect(contentSchema.parse(loadContentFromDisk())).toEqual(contentSchema.parse(content));
  });

  it('reports a missing translation, naming the item and the language', () => {
    const broken = valid();
    const q = broken.baseline.questions[0];
    if (q) delete q.label.sw;
    delete broken.consent.pages.sw;
    expect(contentProblems(broken)).toEqual(expect.arrayContaining(['consent: missing pages for "sw"', `baseline.${q?.id}: missing "sw"`]));
  });

  it('reports a placeholder lost in translation', () => {
    const broken = valid();
    const sw = broken.strings.sw;
    if (sw) sw.declined = 'Asante.';
    expect(contentProblems(broken)).toContain('strings.declined: "sw" has placeholders {} but "en" has {code}');
  });

  it('reports a screen that would exceed the USSD limit once rendered', () => {
    const broken = valid();
    const q = broken.baseline.questions[0];
    if (q) q.label.en = 'x'.repeat(150);
    expect(contentProblems(broken).some((p) => p.startsWith(`baseline.${q?.id} [en]`) && p.includes(': USSD screen of 1'))).toBe(true);
  });

  it('reports dangling and forward references in skip logic, and unreachable questions', () => {
    const broken = valid();
    const [a, b] = broken.baseline.questions;
    if (a && b) {
      a.relevant = "${nope} = 'x'";
      b.relevant = `\${${a.id}} = 'cash' and \${${a.id}} = 'bank'`;
    }
    const problems = contentProblems(broken);
    expect(problems).toContain(`baseline.${a?.id}: relevant: \${nope} is not an earlier question`);
    const fixed = valid();
    const [c, d] = fixed.baseline.questions;
    if (c && d) d.relevant = `\${${c.id}} = 'cash' and \${${c.id}} = 'bank'`;
    expect(contentProblems(fixed)).toContain(`baseline.${d?.id}: unreachable: no answers to earlier questions make it relevant`);
  });

  it('reports an outbound SMS over one part, and a placeholder lost in translation', () => {
    const broken = valid();
    if (broken.sms) {
      broken.sms.help.bn = 'আ'.repeat(71);
      broken.sms.complaintReceived.sw = 'Asante, tumepokea ripoti yako.';
    }
    const problems = contentProblems(broken);
    expect(problems).toContain('sms.help [bn]: SMS of 2 parts (71 UCS-2 characters), budget 1');
    expect(problems).toContain('sms.complaintReceived: "sw" has placeholders {} but "en" has {ref}');
  });

  it('keeps the committed phone metadata in step with libphonenumber-js (run npm run phone:metadata)', () => {
    expect(readFileSync(phoneMetadataPath, 'utf8')).toBe(buildPhoneMetadata());
  });
});
