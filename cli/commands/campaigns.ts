import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Campaign } from '../../functions/core/campaign/model.js';
import type { CampaignPreview } from '../../functions/core/campaign/preview.js';
import { contextOf, seg } from '../context.js';
import { readJson } from '../files.js';
import { num, print, printJson, table } from '../format.js';

/** `sauti campaigns <study>` and `sauti campaign preview|create|show|pause|resume|cancel …`. */

const DAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const CAMPAIGN_FILE_HELP = `
Campaign file (JSON):
  { "name": "Fees first", "modules": ["cashing_out"], "targetArms": ["treatment"],
    "startsOn": "2026-11-30", "everyWeeks": 1, "day": 3, "hour": 18, "channel": "sms" }
day: ISO weekday (1 = Monday); hour: local hour (moved out of quiet hours);
channel: sms (the lesson text), ussd (an SMS inviting to the USSD lesson) or both.`;

function money(preview: CampaignPreview, x: number): string {
  return preview.costConfigured ? `${preview.currency} ${x.toFixed(2)}` : '-';
}

/** The preview as a table: one line per lesson (per week), then the totals. */
export function previewTable(p: CampaignPreview): string[] {
  const rows = p.weeks.map((w) => [w.week, `${w.localTime.replace(` ${p.timeZone}`, '')}${w.past ? ' (past)' : ''}`, `${w.lessonId}: ${w.title}`, String(w.recipients), String(w.segments), money(p, w.cost)]);
  rows.push(['total', '', `${p.weeks.length} lesson(s), ${p.totals.messages} SMS`, String(p.totals.recipients), String(p.totals.segments), money(p, p.totals.cost)]);
  const lines = [
    table(['week', `local time (${p.timeZone})`, 'lesson', { header: 'recipients', align: 'right' }, { header: 'segments', align: 'right' }, { header: 'cost', align: 'right' }], rows),
  ];
  if (p.weeks.some((w) => w.past)) lines.push(`Upcoming only: ${p.upcoming.messages} SMS, ${p.upcoming.segments} segments, ${money(p, p.upcoming.cost)}.`);
  lines.push(
    p.costConfigured
      ? `Cost: ${p.currency} ${num(p.costPerSegment, 4)} a segment; recipients in the total: distinct people reached.`
      : 'Cost: the study has no smsCost, so costs are not known (not free).',
  );
  if (p.audience.counted.length > 0) lines.push(`Audience: ${p.audience.counted.map((a) => `${a.armId}/${a.lang} ${a.count}`).join(', ')}.`);
  for (const a of p.audience.ignored) lines.push(`Not counted: ${a.armId}/${a.lang} ${a.count}: ${a.reason}`);
  // Older servers answer without warnings.
  for (const w of p.warnings ?? []) lines.push(`Warning (${p.provider}): ${w}`);
  return lines;
}

function campaignLine(c: Campaign): string {
  return `Campaign ${c.campaignId} "${c.name}" of ${c.studyId}: ${c.status}${c.pausedAt ? ` since ${c.pausedAt}` : ''}; ${c.modules.join(', ')} to ${c.targetArms.join(', ')} by ${c.channel}, from ${c.startsOn}, ${DAYS[c.day] ?? c.day} ${c.hour}:00 every ${c.everyWeeks} week(s).`;
}

export function campaignCommands(program: Command): void {
  program
    .command('campaigns')
    .description('List the campaigns of a study (GET /studies/{id}/campaigns)')
    .argument('<study>', 'study id')
    .action(async (study: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.get<{ campaigns: Campaign[] }>(`/studies/${seg(study)}/campaigns`);
      if (format === 'json') return printJson(res);
      if (res.campaigns.length === 0) return print(`${study} has no campaigns: preview one with \`sauti campaign preview ${study} <file.json>\`.`);
      print(
        table(
          ['id', 'name', 'status', 'modules', 'arms', 'starts', 'when', { header: 'every', align: 'right' }, 'channel'],
          res.campaigns.map((c) => [c.campaignId, c.name, c.status, c.modules.join(', '), c.targetArms.join(', '), c.startsOn, `${DAYS[c.day] ?? c.day} ${c.hour}:00`, `${c.everyWeeks} wk`, c.channel]),
        ),
      );
    });

  const campaign = program.command('campaign').description('Preview, create, show, pause, resume or cancel a campaign (campaign <action> --help)');

  campaign
    .command('preview')
    .summary('Preview a campaign (a file, or a saved one by id): per week, recipients, segments, cost')
    .description('Preview a campaign before saving it (POST /studies/{id}/campaigns/preview), or a saved one by its id (GET …/campaigns/{campaignId}/preview): per week, local send time, lesson, recipients, segments and cost')
    .argument('<study>', 'study id')
    .argument('<file.json|campaignId>', 'a campaign file (draft), or the id of a saved campaign')
    .addHelpText('after', CAMPAIGN_FILE_HELP)
    .action(async (study: string, what: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const isFile = what.endsWith('.json') || existsSync(what);
      const res = isFile
        ? await client.post<{ preview: CampaignPreview }>(`/studies/${seg(study)}/campaigns/preview`, await readJson(what, 'campaign file'))
        : await client.get<{ preview: CampaignPreview }>(`/studies/${seg(study)}/campaigns/${seg(what)}/preview`);
      if (format === 'json') return printJson(res);
      print(...previewTable(res.preview));
    });

  campaign
    .command('create')
    .summary('Create (schedule) a campaign from a JSON file')
    .description('Create (schedule) a campaign from a JSON file (POST /studies/{id}/campaigns); preview it first')
    .argument('<study>', 'study id')
    .argument('<file.json>', 'the campaign')
    .addHelpText('after', CAMPAIGN_FILE_HELP)
    .action(async (study: string, file: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.post<{ campaign: Campaign; preview: CampaignPreview }>(`/studies/${seg(study)}/campaigns`, await readJson(file, 'campaign file'));
      if (format === 'json') return printJson(res);
      print(campaignLine(res.campaign), '', ...previewTable(res.preview));
    });

  campaign
    .command('show')
    .description('One campaign (GET /studies/{id}/campaigns/{campaignId})')
    .argument('<study>', 'study id')
    .argument('<campaignId>', 'campaign id (see `sauti campaigns <study>`)')
    .action(async (study: string, id: string, _opts: unknown, cmd: Command) => {
      const { client, format } = contextOf(cmd);
      const res = await client.get<{ campaign: Campaign }>(`/studies/${seg(study)}/campaigns/${seg(id)}`);
      if (format === 'json') return printJson(res);
      print(campaignLine(res.campaign));
    });

  const transitions = {
    pause: 'Pause a campaign: its remaining lessons move later, none is skipped',
    resume: 'Resume a paused campaign',
    cancel: 'Cancel a campaign for good',
  } as const;
  for (const [action, description] of Object.entries(transitions)) {
    campaign
      .command(action)
      .description(`${description} (POST /studies/{id}/campaigns/{campaignId}/${action})`)
      .argument('<study>', 'study id')
      .argument('<campaignId>', 'campaign id (see `sauti campaigns <study>`)')
      .action(async (study: string, id: string, _opts: unknown, cmd: Command) => {
        const { client, format } = contextOf(cmd);
        const res = await client.post<{ campaign: Campaign }>(`/studies/${seg(study)}/campaigns/${seg(id)}/${action}`);
        if (format === 'json') return printJson(res);
        print(campaignLine(res.campaign));
      });
  }
}
