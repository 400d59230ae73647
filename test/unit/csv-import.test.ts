import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnrolmentCsv } from '../../functions/core/enrol/csv-import.js';
import type { Study } from '../../functions/core/model.js';
import { dhakaStudy } from '../../infra/local/demo.js';
import { study } from '../support/fixtures.js';

let n = 0;
const ids = { newId: () => `p_${(n += 1)}`, now: new Date('2026-11-24T09:00:00Z') };
const kenya: Study = study();
const dhaka: Study = dhakaStudy(new Date('2026-11-01T00:00:00Z'));

describe('enrolment CSV', () => {
  it('reads a BOM, CRLF line ends, quoted commas and Bengali names', () => {
    const text = '\uFEFFphone,language,name,wage\r\n01711000001,bn,"রহিমা খাতুন, লাইন ৩","8,500"\r\n+8801711000002,en,"Smith, Jane",9000\r\n';
    const { participants, problems } = parseEnrolmentCsv(text, dhaka, ids);
    expect(problems).toEqual([]);
    expect(participants.map((p) => [p.phone, p.lang, p.baseline?.answers])).toEqual([
      ['+8801711000001', 'bn', { name: 'রহিমা খাতুন, লাইন ৩', wage: 8500 }],
      ['+8801711000002', 'en', { name: 'Smith, Jane', wage: 9000 }],
    ]);
    expect(participants.every((p) => p.consent.state === 'pending' && p.source === 'import')).toBe(true);
  });

  it('refuses a file without a phone column, with a column twice, or not CSV at all, at line 1', () => {
    expect(parseEnrolmentCsv('mobile,language\n0712000001,en', kenya, ids).problems).toEqual([{ line: 1, field: 'phone', message: 'The header row has no "phone" column.' }]);
    expect(parseEnrolmentCsv('phone,Phone\n0712000001,0712000002', kenya, ids).problems[0]).toMatchObject({ line: 1, field: 'phone' });
    expect(parseEnrolmentCsv('phone\n"0712000001', kenya, ids).problems[0]).toMatchObject({ field: '(file)' });
    expect(parseEnrolmentCsv('', kenya, ids).problems[0]).toMatchObject({ line: 1, field: '(file)' });
  });

  it('reports every bad row by line and field, and then returns nobody', () => {
    const text = ['phone,language,consent,channel', '0712000001,sw,consented,sms', '12345,sw,,', '0712000001,en,,', '0712000004,fr,maybe,fax', '0712000005,en'].join('\n');
    const { participants, problems } = parseEnrolmentCsv(text, kenya, ids);
    expect(participants).toEqual([]);
    expect(problems.map((p) => `${p.line} ${p.field}`)).toEqual([
      '2 consent_version', '3 phone', '4 phone', '5 language', '5 consent', '5 channel', '6 (row)',
    ]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseEnrolmentCsv(text, kenya, ids);
        expect(r.problems.length > 0 || r.participants.every((p) => /^\+\d{8,15}$/.test(p.phone))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
