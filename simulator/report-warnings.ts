// The run report's warnings: plain sentences about figures a reader could otherwise take at face value.
// The JSON report carries them in `warnings`; the table prints them and marks the lines they concern.

import type { RunReport } from './report.ts';

/** The facts the warnings are judged from: the report without its warnings. */
export type ReportFacts = Omit<RunReport, 'warnings'>;

/** True when the comparison with the CPU (and the CPU fallbacks' cost) rests on the hardware's placeholder CPU cost. */
export function cpuCostIsPlaceholder(r: ReportFacts): boolean {
  return r.cpu.cyclesSource === 'hardware-default';
}

export function reportWarnings(r: ReportFacts): string[] {
  const warnings: string[] = [];
  if (cpuCostIsPlaceholder(r)) {
    const fallbacks = r.cpu.evaluations > 0 ? `, as do the time and energy of the ${r.cpu.evaluations.toLocaleString('en-US')} CPU fallbacks` : '';
    warnings.push(
      `the CPU cost, ${r.cpu.cyclesPerEvaluation.toLocaleString('en-US')} cycles per evaluation, is the hardware default (cpu.cyclesPerEvaluation), a placeholder: ` +
        `the model names no benchmark and no \`cpu N cycles\` (in assembly: no \`.cpu\`). Speedup, energy, efficiency and EDP against the CPU rest on it${fallbacks}.`,
    );
  }
  if (r.outputs.nonFinite > 0) {
    const n = r.outputs.nonFinite;
    warnings.push(`${n.toLocaleString('en-US')} of ${r.samples.toLocaleString('en-US')} samples got NaN or infinite NPU outputs (outputs.nonFinite); the CSV holds them as NaN, Infinity or -Infinity.`);
  }
  return warnings;
}
