import type { Content, UiStrings } from '../functions/core/content/schema.js';
import en from './strings/en.json' with { type: 'json' };
import sw from './strings/sw.json' with { type: 'json' };
import consent from './consent.json' with { type: 'json' };
import baseline from './questionnaires/baseline.json' with { type: 'json' };

/**
 * All participant-facing content, bundled into the Lambdas as data. Its shape is checked
 * against `contentSchema` by the tests (and later `npm run content:check`), not at cold start.
 */
export const content: Content = {
  languages: ['en', 'sw'],
  strings: { en, sw } satisfies Record<string, UiStrings>,
  consent,
  baseline: baseline as Content['baseline'],
};
