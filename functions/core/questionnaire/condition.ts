/**
 * The skip-logic language of `relevant` (a small subset of XLSForm's): parsed into a tree,
 * checked against the questionnaire, and evaluated by walking the tree, never with eval.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' '(' expr ')' | primary
 *   primary := '(' expr ')' | 'selected' '(' ref ',' string ')' | 'answered' '(' ref ')'
 *            | ref op literal
 *   ref     := '${' identifier '}'      op := = != < <= > >=      literal := 'text' | number
 *
 * Hand-written: the grammar is a dozen lines, and an expression library would accept far
 * more than authors should write (and could not check references to earlier questions).
 */

export type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; expr: Condition }
  | { kind: 'compare'; ref: string; op: Op; value: string | number }
  | { kind: 'selected'; ref: string; value: string }
  | { kind: 'answered'; ref: string };

export class ConditionError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position} in "${source}"`);
    this.name = 'ConditionError';
  }
}

type Token =
  | { type: 'ref'; value: string; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'op'; value: Op; at: number }
  | { type: 'word'; value: string; at: number }
  | { type: 'punct'; value: '(' | ')' | ','; at: number };

const TOKEN = /\s*(?:\$\{([a-z][a-z0-9_]*)\}|'([^']*)'|(-?\d+(?:\.\d+)?)|(!=|<=|>=|=|<|>)|([a-z_]+)|([(),]))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(source);
    if (!m) throw new ConditionError('unexpected character', source, at);
    const start = at + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) tokens.push({ type: 'ref', value: m[1], at: start });
    else if (m[2] !== undefined) tokens.push({ type: 'string', value: m[2], at: start });
    else if (m[3] !== undefined) tokens.push({ type: 'number', value: Number(m[3]), at: start });
    else if (m[4] !== undefined) tokens.push({ type: 'op', value: m[4] as Op, at: start });
    else if (m[5] !== undefined) tokens.push({ type: 'word', value: m[5], at: start });
    else tokens.push({ type: 'punct', value: m[6] as '(' | ')' | ',', at: start });
    at = TOKEN.lastIndex;
  }
  return tokens;
}

/** Parses a `relevant` expression; throws ConditionError with the position of the fault. */
export function parseCondition(source: string): Condition {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (message: string): never => {
    throw new ConditionError(message, source, peek()?.at ?? source.length);
  };
  const expect = <T extends Token['type']>(type: T, value?: string): Extract<Token, { type: T }> => {
    const t = peek();
    if (!t || t.type !== type || (value !== undefined && t.value !== value)) fail(`expected ${value ?? type}`);
    i += 1;
    return t as Extract<Token, { type: T }>;
  };
  const isWord = (w: string) => peek()?.type === 'word' && peek()?.value === w;

  function expr(): Condition {
    let left = conjunction();
    while (isWord('or')) {
      i += 1;
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  }
  function conjunction(): Condition {
    let left = unary();
    while (isWord('and')) {
      i += 1;
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  }
  function unary(): Condition {
    if (isWord('not')) {
      i += 1;
      expect('punct', '(');
      const inner = expr();
      expect('punct', ')');
      return { kind: 'not', expr: inner };
    }
    return primary();
  }
  function primary(): Condition {
    const t = peek();
    if (t?.type === 'punct' && t.value === '(') {
      i += 1;
      const inner = expr();
      expect('punct', ')');
      return inner;
    }
    if (isWord('selected') || isWord('answered')) {
      const fn = (t as { value: string }).value;
      i += 1;
      expect('punct', '(');
      const ref = expect('ref').value;
      if (fn === 'answered') {
        expect('punct', ')');
        return { kind: 'answered', ref };
      }
      expect('punct', ',');
      const value = expect('string').value;
      expect('punct', ')');
      return { kind: 'selected', ref, value };
    }
    if (t?.type === 'ref') {
      i += 1;
      const op = expect('op').value;
      const lit = peek();
      if (lit?.type === 'string' || lit?.type === 'number') {
        i += 1;
        return { kind: 'compare', ref: t.value, op, value: lit.value };
      }
      return fail('expected a quoted choice name or a number');
    }
    return fail(t ? `unexpected "${String(t.value)}"` : 'unexpected end');
  }

  const tree = expr();
  if (i < tokens.length) fail(`unexpected "${String(peek()?.value)}"`);
  return tree;
}

/** An answer as conditions see it: a choice name, a number, text, or the names chosen. */
export type AnswerLike = string | number | readonly string[];

/**
 * Evaluates a condition on the answers given so far. A question that was not asked or was
 * skipped makes its comparisons false (so `not(...)` of them true).
 */
export function evaluate(condition: Condition, answers: Readonly<Record<string, AnswerLike | undefined>>): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluate(condition.left, answers) && evaluate(condition.right, answers);
    case 'or':
      return evaluate(condition.left, answers) || evaluate(condition.right, answers);
    case 'not':
      return !evaluate(condition.expr, answers);
    case 'answered':
      return answers[condition.ref] !== undefined;
    case 'selected': {
      const a = answers[condition.ref];
      return Array.isArray(a) ? a.includes(condition.value) : a === condition.value;
    }
    case 'compare': {
      const a = answers[condition.ref];
      if (a === undefined || Array.isArray(a)) return false;
      return compare(a as string | number, condition.op, condition.value);
    }
  }
}

function compare(a: string | number, op: Op, b: string | number): boolean {
  if (typeof a !== typeof b) return op === '!=';
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** Every question a condition refers to. */
export function references(condition: Condition): Set<string> {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return new Set([...references(condition.left), ...references(condition.right)]);
    case 'not':
      return references(condition.expr);
    default:
      return new Set([condition.ref]);
  }
}

/** Every literal compared with each question, to pick the values worth trying in checks. */
export function literals(condition: Condition, into = new Map<string, Set<string | number>>()): Map<string, Set<string | number>> {
  switch (condition.kind) {
    case 'and':
    case 'or':
      literals(condition.left, into);
      literals(condition.right, into);
      break;
    case 'not':
      literals(condition.expr, into);
      break;
    case 'compare':
    case 'selected': {
      const set = into.get(condition.ref) ?? new Set();
      set.add(condition.value);
      into.set(condition.ref, set);
      break;
    }
    case 'answered':
      into.set(condition.ref, into.get(condition.ref) ?? new Set());
  }
  return into;
}
