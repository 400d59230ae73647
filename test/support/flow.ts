import { advance, begin, type Effect, type FlowContext, view } from '../../functions/core/ussd/flow.js';
import type { UssdState } from '../../functions/core/ussd/session.js';

/** Presses keys through the pure dialogue: the last state and screen, and every effect. */
export function runKeys(ctx: FlowContext, inputs: readonly string[]) {
  let state: UssdState = begin(ctx);
  let screen = view(state, ctx);
  const effects: Effect[] = [];
  for (const input of inputs) {
    const step = advance(state, input, ctx);
    state = step.state;
    if (step.effect) effects.push(step.effect);
    screen = view(state, ctx, step.notice);
  }
  return { state, screen, effects };
}
