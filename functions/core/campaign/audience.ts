import { reachableBySms } from '../enrol/withdraw-consent.js';
import type { Study } from '../model.js';
import type { ParticipantStore } from '../ports/participants.js';
import type { AudienceRow } from './preview.js';

/** Who a campaign could reach: consented participants who take SMS and have an arm, by arm and language. */
export async function campaignAudience(study: Study, participants: Pick<ParticipantStore, 'listByStudy'>): Promise<AudienceRow[]> {
  const counts = new Map<string, AudienceRow>();
  for (const p of await participants.listByStudy(study.studyId)) {
    if (!reachableBySms(p) || !p.armId) continue;
    const lang = p.lang ?? study.languages[0] ?? 'en';
    const row = counts.get(`${p.armId}|${lang}`) ?? { armId: p.armId, lang, count: 0 };
    row.count += 1;
    counts.set(`${p.armId}|${lang}`, row);
  }
  return [...counts.values()];
}
