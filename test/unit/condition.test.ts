import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Condition, ConditionError, evaluate, parseCondition, references } from '../../functions/core/questionnaire/condition.js';

describe('relevant: the skip-logic language', () => {
  it('parses comparisons, functions, precedence and parentheses', () => {
    expect(parseCondition("${wage_received} = 'yes'")).toEqual({ kind: 'compare', ref: 'wage_received', op: '=', value: 'yes' });
    expect(parseCondition('${a} >= 100 and not(answered(${b})) or selected(${c}, \'x\')')).toEqual({
      kind: 'or',
      left: {
        kind: 'and',
        left: { kind: 'compare', ref: 'a', op: '>=', value: 100 },
        right: { kind: 'not', expr: { kind: 'answered', ref: 'b' } },
      },
      right: { kind: 'selected', ref: 'c', value: 'x' },
    });
    const grouped = parseCondition("(${a} = 'x' or ${b} = 'y') and ${c} < -2.5");
    expect(grouped).toMatchObject({ kind: 'and', left: { kind: 'or' }, right: { op: '<', value: -2.5 } });
    expect([...references(grouped)].sort()).toEqual(['a', 'b', 'c']);
  });

  it('refuses what is not in the language, saying where', () => {
    const bad = ["${a} == 'x'", '${a} =', "a = 'x'", "${a} = 'x' and", "${a} = 'x')", "process.exit()", "${A} = 1", "selected(${a})", "${a} = \"x\"", ''];
    for (const source of bad) expect(() => parseCondition(source), source).toThrow(ConditionError);
    expect(() => parseCondition("${a} = 'x' xor ${b} = 1")).toThrow(/position 11/);
  });

  it('treats unanswered questions as false, and not() of them as true', () => {
    const c = parseCondition("${fee_paid} = 'yes'");
    expect(evaluate(c, {})).toBe(false);
    expect(evaluate(parseCondition("not(${fee_paid} = 'yes')"), {})).toBe(true);
    expect(evaluate(parseCondition('${n} > 0'), { n: 'text' })).toBe(false);
    expect(evaluate(parseCondition("selected(${t}, 'no_cash')"), { t: ['network', 'no_cash'] })).toBe(true);
    expect(evaluate(parseCondition("selected(${t}, 'no_cash')"), { t: ['network'] })).toBe(false);
  });

  it('evaluates like the equivalent boolean expression, for any tree and answers', () => {
    const leaf = fc.oneof(
      fc.record({ kind: fc.constant('compare' as const), ref: fc.constantFrom('a', 'b'), op: fc.constantFrom('=', '!=', '<', '<=', '>', '>=' as const), value: fc.integer({ min: -3, max: 3 }) }),
      fc.record({ kind: fc.constant('answered' as const), ref: fc.constantFrom('a', 'b') }),
    );
    const tree: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
        fc.record({ kind: fc.constant('not' as const), expr: tie('node') }),
      ),
    })).node;
    const print = (c: Condition): string => {
      switch (c.kind) {
        case 'and':
        case 'or':
          return `(${print(c.left)} ${c.kind} ${print(c.right)})`;
        case 'not':
          return `not(${print(c.expr)})`;
        case 'answered':
          return `answered(\${${c.ref}})`;
        case 'selected':
          return `selected(\${${c.ref}}, '${c.value}')`;
        case 'compare':
          return `\${${c.ref}} ${c.op} ${c.value}`;
      }
    };
    const answers = fc.record({ a: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }), b: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }) });
    fc.assert(
      fc.property(tree, answers, (c, ans) => {
        // Printing and parsing again gives a condition that decides the same way.
        expect(evaluate(parseCondition(print(c)), ans)).toBe(evaluate(c, ans));
      }),
    );
  });
});
