import type { ConformanceRun, ScriptResult } from './run-conformance.ts';

const html = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STATUS_TEXT: Record<ScriptResult['status'], string> = { passed: 'Passed', failed: 'Failed', 'not-applicable': 'Not applicable' };

function summaryBar(results: readonly ScriptResult[]): string {
  const total = results.length || 1;
  const part = (status: ScriptResult['status']) => results.filter((r) => r.status === status).length;
  return `<div class="bar" role="img" aria-label="${part('passed')} passed, ${part('failed')} failed, ${part('not-applicable')} not applicable">${(['passed', 'failed', 'not-applicable'] as const)
    .map((status) => `<span class="${status}" style="width:${((part(status) / total) * 100).toFixed(2)}%"></span>`)
    .join('')}</div>`;
}

/**
 * A self-contained HTML report a bank can hand to certification: per profile and API, every
 * script with its request, verdict, the assertions checked and the reason for any failure.
 */
export function htmlReport(runs: readonly ConformanceRun[], generatedAt = new Date()): string {
  const sections = runs.map((run) => {
    const counts = (['passed', 'failed', 'not-applicable'] as const).map((s) => `${run.results.filter((r) => r.status === s).length} ${STATUS_TEXT[s].toLowerCase()}`).join(' · ');
    const rows = run.results
      .map(
        (r) => `<tr class="${r.status}"><td><a href="${html(r.refURI)}">${html(r.id)}</a></td><td>${html(r.api)}</td><td>${html(r.description)}</td><td><code>${html(r.request)}</code>${r.responseStatus ? ` → ${r.responseStatus}` : ''}</td><td>${STATUS_TEXT[r.status]}</td><td><details><summary>${html(r.reason.slice(0, 120))}</summary><ul>${r.outcomes
          .map((o) => `<li class="${o.passed ? 'ok' : 'ko'}">${html(o.name)}: ${html(o.detail)}</li>`)
          .join('')}</ul></details></td></tr>`,
      )
      .join('\n');
    return `<section><h2>${html(run.profile === 'fapi2' ? 'FAPI 2.0' : 'FAPI 1.0 Advanced')}</h2><p>${html(run.baseUrl)} · started ${html(run.startedAt.toISOString())} · ${(run.durationMs / 1000).toFixed(1)} s · ${html(counts)}</p>${summaryBar(run.results)}
<table><thead><tr><th>Script</th><th>API</th><th>Description</th><th>Request</th><th>Verdict</th><th>Detail</th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
  });
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>OBIE conformance report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1b1b}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
tr.failed td:nth-child(5){color:#a4000f;font-weight:600}tr.passed td:nth-child(5){color:#116329}tr.not-applicable td:nth-child(5){color:#5c5c5c}
.bar{display:flex;height:1rem;border:1px solid #888;margin:.5rem 0 1rem}.bar .passed{background:#2da44e}.bar .failed{background:#cf222e}.bar .not-applicable{background:#afb8c1}
li.ko{color:#a4000f}code{word-break:break-all}
</style></head><body><h1>OBIE functional conformance (suite v1.9.1 manifests, UK OB v4.0)</h1><p>Generated ${html(generatedAt.toISOString())} by <code>portico conformance</code>, acting as an outside TPP: sandbox onboarding, OB DCR v3.4, a PSU in Chromium, each script's assertions and the official OpenAPI schemas.</p>
${sections.join('\n')}
</body></html>
`;
}
