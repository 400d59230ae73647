import type { Command } from 'commander';
import type { Study } from '../../functions/core/model.js';
import { contextOf } from '../context.js';
import { readJson } from '../files.js';
import { print, printJson, table } from '../format.js';

/** `sauti studies` and `sauti study create <file.json>`. */
export function studyCommands(program: Command): void {
  program
    .command('studies')
    .description('List the studies this deployment runs (GET /studies)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.get<{ studies: Study[] }>('/studies');
      if (format === 'json') return printJson(res);
      if (res.studies.length === 0) return print('No studies yet: create one with `sauti study create <file.json>`.');
      print(
        table(
          ['id', 'name', 'country', 'time zone', 'languages', 'arms'],
          res.studies.map((s) => [s.studyId, s.name, s.country, s.timeZone, s.languages.join(', '), s.arms.map((a) => `${a.armId} ${a.ratio}${a.treatment ? '' : ' (control)'}`).join(', ')]),
        ),
      );
    });

  const study = program.command('study').description('Create a study (study create <file.json>)');
  study
    .command('create')
    .summary('Create a study from a JSON file')
    .description('Create a study from a JSON file (POST /studies): studyId, name, country, timeZone, languages, serviceCode, smsShortCode, contact, arms [{ armId, name, ratio, treatment }], providers, startsOn, schedule, smsCost, messaging { provider: africastalking | infobip | sslwireless, from?, masked? }')
    .argument('<file.json>', 'the study as JSON')
    .addHelpText(
      'after',
      `
Example file:
  { "studyId": "mombasa-2027", "name": "Mombasa port workers", "country": "KE",
    "timeZone": "Africa/Nairobi", "languages": ["en", "sw"], "serviceCode": "*384*777#",
    "smsShortCode": "20777", "contact": "0800 000 777",
    "arms": [{ "armId": "lessons", "name": "Lessons", "ratio": 1, "treatment": true },
             { "armId": "diary", "name": "Diary only", "ratio": 1, "treatment": false }],
    "providers": [{ "id": "mpesa", "name": "M-Pesa", "kind": "mobile_money" }] }`,
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const body = await readJson(file, 'study file');
      const res = await client.post<{ study: Study }>('/studies', body);
      if (format === 'json') return printJson(res);
      const s = res.study;
      print(`Created study ${s.studyId} (${s.name}): ${s.country}, ${s.timeZone}, languages ${s.languages.join(', ')}, USSD ${s.serviceCode}${s.smsShortCode ? `, SMS ${s.smsShortCode}` : ''}.`);
      print(`Arms: ${s.arms.map((a) => `${a.armId} ${a.ratio}${a.treatment ? '' : ' (control)'}`).join(', ')}.`, `Next: sauti enrol ${s.studyId} <participants.csv>`);
    });
}
