// Prints the plain "N passed, N failed, N skipped" line from vitest's JSON report.
import { existsSync, readFileSync } from 'node:fs';

const report = 'node_modules/.vitest-report.json';
if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const r = JSON.parse(readFileSync(report, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 ? 1 : 0);
