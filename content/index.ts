import type { Content, UiStrings } from '../functions/core/content/schema.js';
import complaints from './complaints.json' with { type: 'json' };
import consent from './consent.json' with { type: 'json' };
import digital_wage_account from './modules/digital_wage_account.json' with { type: 'json' };
import cashing_out from './modules/cashing_out.json' with { type: 'json' };
import pin_fraud_safety from './modules/pin_fraud_safety.json' with { type: 'json' };
import saving_in_account from './modules/saving_in_account.json' with { type: 'json' };
import rights_complaints from './modules/rights_complaints.json' with { type: 'json' };
import choosing_provider from './modules/choosing_provider.json' with { type: 'json' };
import keywords from './keywords.json' with { type: 'json' };
import languages from './languages.json' with { type: 'json' };
import sms from './sms.json' with { type: 'json' };
import voice from './voice.json' with { type: 'json' };
import baseline from './questionnaires/baseline.json' with { type: 'json' };
import diary from './questionnaires/diary.json' with { type: 'json' };
import bn from './strings/bn.json' with { type: 'json' };
import en from './strings/en.json' with { type: 'json' };
import sw from './strings/sw.json' with { type: 'json' };

/**
 * All participant-facing content, bundled into the Lambdas as data. `npm run content:check`
 * validates it (from disk; a test checks this file bundles the same), not the cold start.
 */
export const content: Content = {
  languages,
  strings: { en, sw, bn } satisfies Record<string, UiStrings>,
  consent,
  baseline: baseline as Content['baseline'],
  diary: diary as Content['diary'],
  complaints,
  keywords,
  sms,
  voice: voice as Content['voice'],
  // In the order participants follow (each module's `order`).
  modules: [digital_wage_account, cashing_out, pin_fraud_safety, saving_in_account, rights_complaints, choosing_provider].sort((a, b) => a.order - b.order) as Content['modules'],
};
