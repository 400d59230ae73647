import { pseudonymSecret } from '../adapters/pseudonym-secret.js';
import type { ApiContext } from './context.js';
import { ApiError, validated } from './http.js';
import type { ApiRequest, RouteName } from './routes.js';
import { forgetBody } from './schemas.js';
import { actor } from './auth.js';

/**
 * Participant rights on the admin API: "forget me" on a participant's behalf (admins only).
 * The number and personal fields go, the pseudonymous research record stays (core/privacy),
 * and the act is audited (who, when, why, which participant id; never the number). The forget
 * runs off the request (the forget queue): the answer says it is queued, and asking again once
 * it has run answers `already: true`.
 */
export function privacyHandlers(ctx: ApiContext, env: NodeJS.ProcessEnv = process.env): Pick<Record<RouteName, (r: ApiRequest) => Promise<unknown>>, 'forgetParticipant'> {
  const store = ctx.ports.forget;
  return {
    forgetParticipant: async (r) => {
      const body = validated(forgetBody, r.body, 'forget request');
      const study = await ctx.study(r);
      const participantId = r.params.participantId ?? '';
      const found = await store.findById(study.studyId, participantId);
      if (!found.active) {
        if (found.forgotten) return { participantId, forgotten: true, already: true };
        throw new ApiError(404, `No participant "${participantId}" in study "${study.studyId}".`);
      }
      // Without the key the export id could not be kept, and the research record would lose its panel id.
      if (!(await pseudonymSecret(env))) throw new ApiError(503, 'Forgetting needs the pseudonym key (PSEUDONYM_SECRET_ARN in AWS, SAUTI_PSEUDONYM_KEY locally), to keep the export id.');
      await ctx.forgets.enqueue({ studyId: study.studyId, participantId, by: 'admin', actor: r.principal.name, reason: body.reason });
      ctx.log.warn('forget queued', { audit: 'forget', studyId: study.studyId, participantId, ...actor(r.principal), at: ctx.clock.now().toISOString() });
      return { participantId, queued: true, already: false };
    },
  };
}
