/**
 * Why an enumerator's request is refused, in words for the screen: not theirs (or not there),
 * held by another enumerator, no longer to be asked (withdrawn, forgotten), over the week's
 * cap, or an answer the questionnaire does not accept (the same notice USSD gives).
 */
export class EnumerationError extends Error {
  constructor(
    readonly kind: 'notFound' | 'held' | 'stopped' | 'cap' | 'invalid' | 'conflict',
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'EnumerationError';
  }
}
