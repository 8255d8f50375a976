/**
 * The end of a test's or suite's title when it is skipped: " (skipped: reason)", which `npm test` collects and prints
 * once (tools/test/skip-reasons.ts); "" when it runs.
 */
export function skipNote(skipped: boolean, reason: string): string {
  return skipped ? ` (skipped: ${reason})` : '';
}
