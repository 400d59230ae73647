/**
 * Languages a voice provider's text-to-speech speaks, for the content check: a prompt without a
 * recording is spoken by the provider's TTS (`Say`) only in these. Africa's Talking documents
 * `Say` with a `voice` of man or woman and no language attribute (Africa's Talking's voice documentation, the SDK's Say
 * schema): its TTS is English. Kiswahili and Bengali prompts must be recorded.
 */
export const PROVIDER_TTS_LANGUAGES: Readonly<Record<'africastalking', readonly string[]>> = {
  africastalking: ['en'],
};
