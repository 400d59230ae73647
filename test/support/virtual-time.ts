/** Virtual time for pacing tests: `sleep` moves the clock instead of waiting. */
export function virtualTime(start = 0) {
  const vt = { t: start };
  return { vt, now: () => vt.t, sleep: async (ms: number) => { vt.t += ms; } };
}

/** The most of these times in any half-open window [t, t + ms). */
export function busiestWindow(times: readonly number[], ms = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while ((sorted[j] as number) <= (sorted[i] as number) - ms) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
