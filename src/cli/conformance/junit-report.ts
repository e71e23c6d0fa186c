import type { ConformanceRun } from './run-conformance.ts';

// XML 1.0 §2.2: control characters other than tab, newline and carriage return are not allowed.
const xml = (value: unknown) =>
  // eslint-disable-next-line no-control-regex
  String(value).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

/**
 * JUnit XML of a run (one testsuite per API, one testcase per script): what CI systems and
 * certification reviewers read. Not-applicable scripts are `skipped` with their reason.
 */
export function junitReport(runs: readonly ConformanceRun[]): string {
  const suites = runs.flatMap((run) => {
    const apis = [...new Set(run.results.map((r) => r.api))];
    return apis.map((api) => {
      const results = run.results.filter((r) => r.api === api);
      const cases = results.map((r) => {
        const body =
          r.status === 'failed'
            ? `<failure message="${xml(r.reason)}">${xml(r.outcomes.map((o) => `${o.passed ? 'ok  ' : 'FAIL'} ${o.name}: ${o.detail}`).join('\n') || r.reason)}</failure>`
            : r.status === 'not-applicable'
              ? `<skipped message="${xml(r.reason)}"/>`
              : '';
        return `    <testcase classname="${xml(`${run.profile}.${api}`)}" name="${xml(`${r.id} ${r.description}`)}" time="${(r.durationMs / 1000).toFixed(3)}">${body}<system-out>${xml(r.request)}</system-out></testcase>`;
      });
      const count = (status: string) => results.filter((r) => r.status === status).length;
      const time = results.reduce((sum, r) => sum + r.durationMs, 0) / 1000;
      return `  <testsuite name="${xml(`OBIE v4.0 ${api} (${run.profile})`)}" tests="${results.length}" failures="${count('failed')}" errors="0" skipped="${count('not-applicable')}" time="${time.toFixed(3)}" timestamp="${run.startedAt.toISOString()}">\n${cases.join('\n')}\n  </testsuite>`;
    });
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="Portico OBIE conformance">\n${suites.join('\n')}\n</testsuites>\n`;
}
