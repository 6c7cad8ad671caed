// results.md: the experiment tables in markdown, in the layout of the paper's figures.

import { formatPercent } from '../simulator/format-quantities.ts';
import type { ExperimentResults, RunResult } from './results.ts';

const pct = (x: number) => (Number.isFinite(x) ? formatPercent(x) : '—');
const num = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '—');

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function mean(xs: number[]): number {
  const ok = xs.filter(Number.isFinite);
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : NaN;
}

export function renderMarkdown(r: ExperimentResults): string {
  const out: string[] = [];
  const benches = [...new Set(r.comparison.map((x) => x.bench))];
  const methods = [...new Set(r.comparison.map((x) => x.method))];
  const get = (b: string, m: string) => r.comparison.find((x) => x.bench === b && x.method === m);
  out.push('# AXNet vs onepass vs iterative', '');
  out.push(`Regenerate with \`${r.command}\`. Data: ${r.data}. TensorFlow.js backend: ${r.backend}. Seed ${r.seed}. Budget: ${r.budget}. Started ${r.startedAt}; took ${(r.seconds / 60).toFixed(1)} min.`, '');
  out.push('## True and predicted invocation (Fig. 6), prediction accuracy (Fig. 7), approximation error (Fig. 8)', '');
  out.push(
    table(
      ['benchmark', 'method', 'true invocation', 'predicted invocation', 'prediction accuracy', 'approximation error', 'parameters', 'training time'],
      r.comparison.map((x) => [x.bench, x.method, pct(x.trueInvocation), pct(x.predictedInvocation), pct(x.predictionAccuracy), num(x.approximationError), String(x.parameters), `${x.trainSeconds.toFixed(1)} s`]),
    ),
  );
  out.push('', '## Averages over the benchmarks', '');
  out.push(
    table(
      ['method', 'true invocation', 'predicted invocation', 'prediction accuracy', 'approximation error'],
      methods.map((m) => {
        const rows = r.comparison.filter((x) => x.method === m);
        return [m, pct(mean(rows.map((x) => x.trueInvocation))), pct(mean(rows.map((x) => x.predictedInvocation))), pct(mean(rows.map((x) => x.predictionAccuracy))), num(mean(rows.map((x) => x.approximationError)))];
      }),
    ),
  );
  if (methods.includes('iterative')) {
    out.push('', '## Parameters and training time against iterative (Fig. 10a)', '');
    out.push(
      table(
        ['benchmark', ...methods.filter((m) => m !== 'iterative').flatMap((m) => [`${m} params / iterative`, `${m} time / iterative`])],
        benches.map((b) => {
          const it = get(b, 'iterative');
          return [b, ...methods.filter((m) => m !== 'iterative').flatMap((m) => {
            const x = get(b, m);
            return x && it ? [(x.parameters / it.parameters).toFixed(2), (x.trainSeconds / it.trainSeconds).toFixed(2)] : ['—', '—'];
          })];
        }),
      ),
    );
  }
  if (r.controlStudy.length) {
    out.push('', '## Where the control vectors go (Fig. 10c): all hidden layers, the first, the second', '');
    out.push(
      table(
        ['benchmark', 'control', 'true invocation', 'predicted invocation', 'prediction accuracy', 'approximation error', 'parameters'],
        r.controlStudy.map((x: RunResult) => [x.bench, x.control, pct(x.trueInvocation), pct(x.predictedInvocation), pct(x.predictionAccuracy), num(x.approximationError), String(x.parameters)]),
      ),
    );
  }
  out.push('', 'Charts: invocation.svg (Fig. 6), accuracy.svg (Fig. 7), error.svg (Fig. 8), time.svg (Fig. 10a), control.svg (Fig. 10c).', '');
  return out.join('\n');
}
