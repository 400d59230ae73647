import { randomUUID } from 'node:crypto';
import { campaignAudience } from '../core/campaign/audience.js';
import { campaignProblems } from '../core/campaign/check.js';
import { CampaignStateError, cancelCampaign, newCampaign, pauseCampaign, resumeCampaign } from '../core/campaign/lifecycle.js';
import type { Campaign } from '../core/campaign/model.js';
import { previewCampaign } from '../core/campaign/preview.js';
import type { Study } from '../core/model.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { campaignBody } from './schemas.js';
import { actor } from './auth.js';

type CampaignRoute = 'listCampaigns' | 'previewDraft' | 'createCampaign' | 'getCampaign' | 'previewCampaign' | 'pauseCampaign' | 'resumeCampaign' | 'cancelCampaign';

/** Campaigns of a study (researchers, admins): drafts previewed, created once, paused, resumed, cancelled without lost updates. */
export function campaignHandlers(ctx: ApiContext): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, CampaignRoute> {
  const { campaigns, participants } = ctx.ports;
  const campaign = async (r: ApiRequest): Promise<Campaign> => {
    const c = await campaigns.get(r.params.studyId ?? '', r.params.campaignId ?? '');
    if (!c) throw new ApiError(404, `No campaign "${r.params.campaignId}" in study "${r.params.studyId}".`);
    return c;
  };
  const parseCampaign = (body: unknown) => validated(campaignBody, body, 'campaign');
  const preview = async (s: Study, c: Parameters<typeof previewCampaign>[0]) => {
    const result = previewCampaign(c, s, await ctx.content(), await campaignAudience(s, participants), ctx.clock.now());
    if (!result.ok) throw new ApiError(400, 'The campaign cannot be scheduled.', result.problems);
    return result.preview;
  };
  const transition = async (r: ApiRequest, change: (c: Campaign, now: Date, s: Study) => Campaign) => {
    const [s, c] = await Promise.all([ctx.study(r), campaign(r)]);
    let next: Campaign;
    try {
      next = change(c, ctx.clock.now(), s);
    } catch (err) {
      if (err instanceof CampaignStateError) throw new ApiError(409, err.message);
      throw err;
    }
    if (!(await campaigns.save(next, c.updatedAt))) throw new ApiError(409, 'The campaign was changed by someone else meanwhile; read it again.');
    ctx.log.info('campaign changed', { campaignId: c.campaignId, status: next.status, ...actor(r.principal) });
    return next;
  };

  return {
    listCampaigns: async (r) => {
      await ctx.study(r);
      return { campaigns: await campaigns.list(r.params.studyId as string) };
    },
    previewDraft: async (r) => ({ preview: await preview(await ctx.study(r), parseCampaign(r.body)) }),
    createCampaign: async (r) => {
      const s = await ctx.study(r);
      const input = parseCampaign(r.body);
      const problems = campaignProblems(input, s, await ctx.content());
      if (problems.length > 0) throw new ApiError(400, 'The campaign cannot be scheduled.', problems);
      const c = newCampaign(input, { campaignId: randomUUID().slice(0, 8), studyId: s.studyId, createdBy: r.principal.name, now: ctx.clock.now() });
      if (!(await campaigns.create(c))) throw new ApiError(409, 'A campaign with this id exists; try again.');
      ctx.log.info('campaign created', { campaignId: c.campaignId, ...actor(r.principal) });
      return { campaign: c, preview: await preview(s, c) };
    },
    getCampaign: async (r) => ({ campaign: await campaign(r) }),
    previewCampaign: async (r) => ({ preview: await preview(await ctx.study(r), await campaign(r)) }),
    pauseCampaign: async (r) => ({ campaign: await transition(r, (c, now) => pauseCampaign(c, now)) }),
    resumeCampaign: async (r) => ({ campaign: await transition(r, (c, now, s) => resumeCampaign(c, now, s)) }),
    cancelCampaign: async (r) => ({ campaign: await transition(r, (c, now) => cancelCampaign(c, now)) }),
  };
}
