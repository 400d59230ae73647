import fc from 'fast-check';

/** Strings an attacker, a broken handset or a confused operator may send. */
export function hostile(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength }) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '', ' ', '*', '**', '#', '%', '%zz', '%00', '\u0000', '\uFEFF', '\uD800', '\u202E', 'null', 'undefined', '[]', '{}', '__proto__', 'constructor',
        '../../etc/passwd', '<script>', "'; DROP TABLE", '1e309', '-0', 'NaN', '٣٤٥', '১২৩', '😀😀', 'STOP', 'stop.', 'D 8000 M 200 500', 'P mpesa agent',
      ),
    },
  );
}

/** What one fuzz target tried and found. */
export interface FuzzResult {
  name: string;
  runs: number;
  /** Inputs refused (4xx, a fallback screen, a parser's error). */
  rejected: number;
  http5xx: number;
  thrown: number;
  /** Rejected inputs that changed the table. */
  stateChanges: number;
  statuses: Record<number, number>;
  problems: string[];
  /** Counterexamples fast-check reported. */
  examples: string[];
}

export const newResult = (name: string): FuzzResult => ({ name, runs: 0, rejected: 0, http5xx: 0, thrown: 0, stateChanges: 0, statuses: {}, problems: [], examples: [] });
