import { contentPreview } from '../core/console/content-preview.js';
import { participantRow } from '../core/console/model.js';
import { studyOverview } from '../core/console/overview.js';
import { participantTimeline } from '../core/console/timeline.js';
import { studyWeeks } from '../core/time/study-calendar.js';
import type { Study } from '../core/model.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { contentPreviewQuery, participantsQuery, revealPhoneBody } from './schemas.js';
import { isForgottenPhone } from '../core/privacy/forget.js';
import { actor } from './auth.js';

type ConsoleRoute = 'me' | 'overview' | 'participants' | 'timeline' | 'revealPhone' | 'audit' | 'contentPreview';

/** Page cursors are the last participant id, opaque to the caller. */
const encodeCursor = (participantId: string) => Buffer.from(participantId, 'utf8').toString('base64url');
/** A cursor this API gave out decodes to a participant id; anything else is the caller's mistake, not a 500 from DynamoDB. */
const decodeCursor = (cursor: string): string => {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[\w-]{1,200}$/.test(id)) throw new ApiError(400, 'That page cursor is not one this API gave out: start again without a cursor.');
  return id;
};

/**
 * The web console's reads (and its one sensitive write): who am I, a study's overview in
 * aggregates, its participants and one participant's timeline by pseudonymous id, the
 * admin-only phone reveal with its audit trail, and the content as phones show it.
 *
 * Phone numbers: the reader projects them away, so the overview, the list and the timeline
 * cannot carry one; only `revealPhone` reads a number, for admins, after the audit record is
 * written (no record, no number) and with a log line that names the participant, not the number.
 */
export function consoleHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, ConsoleRoute> {
  const { console: reader, audit, campaigns, randomization } = ctx.ports;
  const defaultLanguage = (s: Study) => s.languages[0] ?? 'en';

  return {
    me: async (r) => ({ name: r.principal.name, roles: r.principal.roles }),

    overview: async (r) => {
      const study = await ctx.study(r);
      const calendar = studyWeeks(study, ctx.clock.now());
      const ids = calendar.map((w) => w.id);
      const [participants, weeks, complaints, messages, studyCampaigns, content, runs] = await Promise.all([
        reader.participants(study.studyId),
        reader.weeks(study.studyId, ids),
        reader.complaints(study.studyId, ids),
        reader.messages(study.studyId),
        campaigns.list(study.studyId),
        ctx.content(),
        randomization.runs(study.studyId),
      ]);
      const initial = runs.find((run) => run.kind === 'initial' && run.status === 'complete') ?? runs.find((run) => run.kind === 'initial');
      return studyOverview({
        study, calendar, participants, weeks, messages, complaints, campaigns: studyCampaigns, content, lang: defaultLanguage(study),
        ...(initial ? { initialRandomizationId: initial.randomizationId } : {}),
      });
    },

    participants: async (r) => {
      const study = await ctx.study(r);
      const q = validated(participantsQuery, r.query, 'query');
      const limit = q.limit === undefined ? 50 : Number(q.limit);
      if (limit < 1 || limit > 500) throw new ApiError(400, 'The query is not valid.', [{ field: 'limit', message: 'a number from 1 to 500' }]);
      if (q.arm !== undefined && !study.arms.some((a) => a.armId === q.arm)) {
        throw new ApiError(400, 'The query is not valid.', [{ field: 'arm', message: `"${q.arm}" is not an arm of this study; arms: ${study.arms.map((a) => a.armId).join(', ')}.` }]);
      }
      if (q.exportId !== undefined) {
        const found = await reader.findByExportId(study.studyId, q.exportId);
        return { participants: found ? [participantRow(found, defaultLanguage(study))] : [] };
      }
      const page = await reader.participantPage(study.studyId, { limit, ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}), ...(q.arm ? { arm: q.arm } : {}) });
      return {
        participants: page.participants.map((p) => participantRow(p, defaultLanguage(study))),
        ...(page.next ? { nextCursor: encodeCursor(page.next) } : {}),
      };
    },

    timeline: async (r) => {
      const study = await ctx.study(r);
      const found = await reader.timeline(study.studyId, r.params.participantId ?? '');
      if (!found) throw new ApiError(404, `No participant "${r.params.participantId}" in study "${study.studyId}".`);
      return participantTimeline({ study, content: await ctx.content(), ...found });
    },

    revealPhone: async (r) => {
      const body = validated(revealPhoneBody, r.body, 'reveal request');
      const study = await ctx.study(r);
      const participantId = r.params.participantId ?? '';
      const phone = await reader.phoneOf(study.studyId, participantId);
      if (!phone) throw new ApiError(404, `No participant "${participantId}" with a phone number in study "${study.studyId}".`);
      if (isForgottenPhone(phone)) throw new ApiError(410, `Participant "${participantId}" asked to be forgotten: their phone number is deleted.`);
      const at = ctx.clock.now().toISOString();
      // The durable record first: if it cannot be written, the number is not given.
      await audit.append({ studyId: study.studyId, at, ...actor(r.principal), action: 'reveal-phone', participantId, reason: body.reason });
      ctx.log.warn('phone number revealed', { audit: 'reveal-phone', studyId: study.studyId, participantId, ...actor(r.principal), at });
      return { phone };
    },

    audit: async (r) => {
      const study = await ctx.study(r);
      const events = await audit.list(study.studyId);
      return {
        events: events.map((e) => ({
          at: e.at,
          by: e.by,
          ...(e.byId ? { byId: e.byId } : {}),
          action: e.action,
          ...(e.participantId ? { participantId: e.participantId } : {}),
          ...(e.reason || e.detail ? { detail: e.reason ?? e.detail } : {}),
        })),
      };
    },

    contentPreview: async (r) => {
      const study = await ctx.study(r);
      const q = validated(contentPreviewQuery, r.query, 'query');
      const content = await ctx.content();
      const languages = study.languages.filter((l) => content.languages.includes(l));
      if (q.lang !== undefined && !languages.includes(q.lang)) {
        throw new ApiError(400, 'The query is not valid.', [{ field: 'lang', message: `"${q.lang}" is not a language of this study; languages: ${languages.join(', ')}.` }]);
      }
      const week = studyWeeks(study, ctx.clock.now()).at(-1)?.id ?? '';
      return { languages, screens: contentPreview(content, study, q.lang ? [q.lang] : languages, week) };
    },
  };
}
