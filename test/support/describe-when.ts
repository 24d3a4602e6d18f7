/**
 * `describe` where the suite can run, else `describe.skip` with the reason in the suite's name: a skipped
 * test always says why, in jest's list of tests and in its JSON results.
 */
export function describeWhen(canRun: boolean, reasonToSkip: string): (name: string, suite: () => void) => void {
  return (name, suite) => (canRun ? describe(name, suite) : describe.skip(`${name} [skipped: ${reasonToSkip}]`, suite));
}
