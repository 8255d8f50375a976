// Condenses a vitest JSON report (--reporter=json) into a few lines per test file: counts, then each failure with
// the first line of its message. Failures of ops the engine does not implement yet are listed apart, so a GPU run
// shows at a glance what is broken and what is merely missing.
//
// Usage: node tools/device/summarize-vitest.mjs report.json
// Exit status: 1 when any test failed for another reason than a missing op, else 0.
import fs from 'node:fs';
import path from 'node:path';

const NOT_IMPLEMENTED = /not implemented on the \w+ engine/;

const report = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const totals = { passed: 0, failed: 0, missing: 0, skipped: 0 };
const lines = [];
for (const file of report.testResults ?? []) {
  const counts = { passed: 0, failed: 0, missing: 0, skipped: 0 };
  const failures = [];
  for (const t of file.assertionResults ?? []) {
    if (t.status === 'passed') counts.passed++;
    else if (t.status === 'failed') {
      const message = (t.failureMessages?.[0] ?? '').split('\n')[0];
      if (NOT_IMPLEMENTED.test(message)) counts.missing++;
      else {
        counts.failed++;
        failures.push(`    FAIL ${t.fullName}: ${message}`);
      }
    } else counts.skipped++;
  }
  // A file that fails to load has no assertions but a message.
  if (file.status === 'failed' && !(file.assertionResults ?? []).length) {
    counts.failed++;
    failures.push(`    FAIL (file) ${(file.message ?? '').split('\n')[0]}`);
  }
  for (const k of Object.keys(totals)) totals[k] += counts[k];
  const name = path.relative(process.cwd(), file.name);
  lines.push(`  ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.missing} not implemented, ${counts.skipped} skipped`);
  lines.push(...failures);
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.missing} not implemented on this engine, ${totals.skipped} skipped`);
console.log(lines.join('\n'));
process.exitCode = totals.failed > 0 ? 1 : 0;
