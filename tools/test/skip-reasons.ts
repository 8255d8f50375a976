import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';

/** The reason a skipped test's title, or its suite's, gives as "… (skipped: reason)". */
const REASON = /\(skipped: (.+)\)$/;

function reasonOf(test: TestCase): string {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  for (let node: TestCase | TestSuite | TestModule = test; node.type !== 'module'; node = node.parent) {
    const found = REASON.exec(node.name);
    if (found) return found[1]!;
  }
  return 'no reason given';
}

/**
 * Prints, once at the end of a run, why tests were skipped: one line per reason with how many tests and which files.
 * The default reporter only counts them, so a machine without a GPU looked the same as a broken one.
 */
export class SkipReasons implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, { count: number; files: Set<string> }>();
    for (const mod of modules) {
      for (const test of mod.children.allTests('skipped')) {
        const entry = byReason.get(reasonOf(test)) ?? { count: 0, files: new Set<string>() };
        entry.count++;
        entry.files.add(mod.relativeModuleId);
        byReason.set(reasonOf(test), entry);
      }
    }
    if (byReason.size === 0) return;
    const lines = [...byReason].map(([reason, { count, files }]) => `[puzzle]   ${count} × ${reason} (${[...files].join(', ')})`);
    const total = [...byReason.values()].reduce((n, e) => n + e.count, 0);
    process.stdout.write(`\n[puzzle] ${total} test${total === 1 ? '' : 's'} skipped:\n${lines.join('\n')}\n`);
  }
}
