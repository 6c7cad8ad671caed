// The report fields a sweep can take as objectives: every number of the run report by dotted path. tsc
// checks each path against RunReport's type (simulator/report.ts), so a renamed field fails to compile.

import type { RunReport } from '../simulator/report.ts';

/** Dotted paths to the number fields of T (lists left out: a per-requester figure is not one objective). */
type NumericPaths<T, P extends string = ''> = {
  [K in keyof T & string]: NonNullable<T[K]> extends number ? `${P}${K}` : NonNullable<T[K]> extends readonly unknown[] ? never : NonNullable<T[K]> extends object ? NumericPaths<NonNullable<T[K]>, `${P}${K}.`> : never;
}[keyof T & string];

export type ReportField = NumericPaths<RunReport>;

const FIELDS: readonly ReportField[] = [
  'samples',
  'invocation.predicted',
  'invocation.predictedRate',
  'invocation.invoked',
  'invocation.invokedRate',
  'invocation.cpuFallbacks',
  'outputs.nonFinite',
  'quality.bound',
  'quality.samples',
  'quality.safe',
  'quality.trueInvocation',
  'quality.predicted',
  'quality.predictedInvocation',
  'quality.predictionAccuracy',
  'quality.agreement',
  'quality.precision',
  'quality.recall',
  'quality.approximationError',
  'quality.violations',
  'quality.violationRate',
  'quality.finalError',
  'quality.maxError',
  'quality.nonFinite',
  'instructions.setup',
  'instructions.executed',
  'instructions.perSample',
  'cycles.total',
  'cycles.setup',
  'cycles.perSample.mean',
  'cycles.perSample.p50',
  'cycles.perSample.p99',
  'cycles.perSample.min',
  'cycles.perSample.max',
  'seconds',
  'peUtilization',
  'bus.transactions',
  'bus.words',
  'bus.conflicts',
  'bus.stallCycles',
  'energy.totalPj',
  'energy.perSamplePj',
  'energy.breakdownPj.peMac',
  'energy.breakdownPj.activation',
  'energy.breakdownPj.multiplier',
  'energy.breakdownPj.buffers',
  'energy.breakdownPj.onChipMemory',
  'energy.breakdownPj.dram',
  'energy.breakdownPj.bus',
  'energy.breakdownPj.controller',
  'energy.breakdownPj.cpu',
  'energy.breakdownPj.leakage',
  'cpu.cyclesPerEvaluation',
  'cpu.npuCyclesPerEvaluation',
  'cpu.evaluations',
  'cpu.energyPerEvaluationPj',
  'comparison.cpuOnlyCycles',
  'comparison.cpuOnlyEnergyPj',
  'comparison.speedup',
  'comparison.normalizedEnergy',
  'comparison.energySaving',
  'comparison.energyEfficiency',
  'comparison.edpJouleSeconds',
  'comparison.cpuOnlyEdpJouleSeconds',
  'datapath.saturations',
  'quantization.decisionsFlipped',
  'quantization.compared',
  'quantization.outputDeviation.mean',
  'quantization.outputDeviation.max',
];

export const NUMERIC_REPORT_FIELDS: readonly string[] = FIELDS;

/** A field's value in a report: a number, or null where the report has none (no reference, say). */
export function reportValue(report: unknown, field: string): number | null {
  let at: unknown = report;
  for (const k of field.split('.')) {
    if (at === null || typeof at !== 'object') return null;
    at = (at as Record<string, unknown>)[k];
  }
  if (typeof at === 'number') return at;
  // A report read back from JSON holds non-finite numbers as these strings (simulator/report.ts, reportJson).
  if (at === 'Infinity') return Infinity;
  if (at === '-Infinity') return -Infinity;
  if (at === 'NaN') return NaN;
  return null;
}
