// The run report: its documented schema (axc-sim-report/2) and how it is computed from a finished run.

import { canonicalHardware, totalPes } from '../hardware/description.ts';
import type { DatapathReport, QuantizationReport } from './datapath-report.ts';
import { fnv1a } from '../ir/fnv1a.ts';
import type { Binary } from '../isa/container.ts';
import type { QualitySummary } from '../quality/quality-tally.ts';
import { INSTRUCTION_WORDS, STAGE_NAMES } from '../isa/table.ts';
import { priceActions, type Component } from '../machine/actions.ts';
import { reportWarnings, type ReportFacts } from './report-warnings.ts';
import type { CpuCostSource, InvokeMode, Simulator } from '../machine/simulator.ts';
import type { RequesterTraffic, TimingSummary } from '../machine/timing-summary.ts';

export const REPORT_SCHEMA = 'axc-sim-report/2';

type Stage = (typeof STAGE_NAMES)[number];

export interface Distribution {
  mean: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}


export interface RunReport {
  schema: typeof REPORT_SCHEMA;
  /** Sentences about figures that should not be taken at face value (report-warnings.ts); empty when there are none. */
  warnings: string[];
  program: { model: string; schedule: string; inputWidth: number; outputWidth: number; codeLength: number; benchmark: string | null };
  hardware: { name: string; tiles: number; pesPerTile: number; clockMHz: number; dataBuses: number; busWidthWords: number; fingerprint: string };
  invokeMode: 'model' | 'all';
  samples: number;
  invocation: { predicted: number; predictedRate: number; invoked: number; invokedRate: number; cpuFallbacks: number };
  /** Samples whose delivered NPU output (H(x)) holds a NaN or infinite value. */
  outputs: { nonFinite: number };
  /** How good the outputs were against `axc sim --reference` (quality/quality-tally.ts); null without a reference. */
  quality: QualitySummary | null;
  instructions: { setup: number; executed: number; perSample: number };
  cycles: { total: number; setup: number; perSample: Distribution; byStage: Record<Stage, number> };
  seconds: number;
  /** Busy PE-cycles over (PEs × total cycles). */
  peUtilization: number;
  bus: { transactions: number; words: number; conflicts: number; stallCycles: number; byRequester: RequesterTraffic[] };
  energy: { totalPj: number; perSamplePj: number; breakdownPj: Record<Component, number>; actions: Record<string, number> };
  /** `cyclesSource` says where `cyclesPerEvaluation` came from (see CpuCostSource). */
  cpu: { cyclesPerEvaluation: number; cyclesSource: CpuCostSource; npuCyclesPerEvaluation: number; evaluations: number; energyPerEvaluationPj: number };
  comparison: {
    /** Every sample on the CPU model: time in NPU cycles, and energy. */
    cpuOnlyCycles: number;
    cpuOnlyEnergyPj: number;
    speedup: number;
    /** E / E_cpu-only: the paper's "energy reduction" read as normalised energy. */
    normalizedEnergy: number;
    /** E_cpu-only / E. */
    energySaving: number;
    /** Speedup ÷ normalised energy (paper §V-A) = (T_cpu·E_cpu) / (T·E). */
    energyEfficiency: number;
    edpJouleSeconds: number;
    cpuOnlyEdpJouleSeconds: number;
  };
  /** Outside fp32 only: the formats, the table and each layer's saturations (simulator/datapath-report.ts). */
  datapath?: DatapathReport;
  /** With `--shadow fp32` only: what the format changed against fp32. */
  quantization?: QuantizationReport;
}

/** Mean and nearest-rank percentiles of a histogram {value: count}. */
export function distribution(hist: ReadonlyMap<number, number>): Distribution {
  const values = [...hist.keys()].sort((a, b) => a - b);
  let n = 0;
  let sum = 0;
  for (const v of values) {
    n += hist.get(v)!;
    sum += v * hist.get(v)!;
  }
  const rank = (p: number) => {
    const want = Math.max(1, Math.ceil((p / 100) * n));
    let seen = 0;
    for (const v of values) {
      seen += hist.get(v)!;
      if (seen >= want) return v;
    }
    return 0;
  };
  return n === 0 ? { mean: 0, p50: 0, p99: 0, min: 0, max: 0 } : { mean: sum / n, p50: rank(50), p99: rank(99), min: values[0], max: values[values.length - 1] };
}

export interface RunCounts {
  samples: number;
  predicted: number;
  invoked: number;
  fallbacks: number;
  /** Invoked samples with a NaN or infinite output value. */
  nonFinite: number;
  setupInstructions: number;
  invoke: Exclude<InvokeMode, 'none'>;
}

export function buildReport(binary: Binary, sim: Simulator, timing: TimingSummary, counts: RunCounts, quality: QualitySummary | null = null): RunReport {
  const hw = binary.hardware;
  const total = timing.cycles;
  const seconds = total / (hw.clockMHz * 1e6);
  const energy = priceActions(hw, timing.actions, seconds);
  const byStage = Object.fromEntries(STAGE_NAMES.map((s, i) => [s, timing.stageCycles[i]])) as Record<Stage, number>;
  const byRequester: RequesterTraffic[] = timing.bus;
  const sum = (k: keyof RequesterTraffic) => byRequester.reduce((s, r) => s + (r[k] as number), 0);
  const n = counts.samples;
  const executed = sim.machine.instructions - counts.setupInstructions;
  const cpuEnergyPerEval = sim.cpuCyclesPerEvaluation * hw.cpu.energyPerCyclePj;
  const cpuOnlyCycles = n * timing.npuCyclesPerCpuEvaluation;
  const cpuOnlyEnergyPj = n * cpuEnergyPerEval;
  const cpuOnlySeconds = cpuOnlyCycles / (hw.clockMHz * 1e6);
  const speedup = total > 0 ? cpuOnlyCycles / total : 0;
  const normalizedEnergy = cpuOnlyEnergyPj > 0 ? energy.total / cpuOnlyEnergyPj : 0;
  const rate = (k: number) => (n ? k / n : 0);
  const facts: ReportFacts = {
    schema: REPORT_SCHEMA,
    program: {
      model: binary.meta.model,
      schedule: binary.meta.schedule,
      inputWidth: sim.inputWidth,
      outputWidth: sim.outputWidth,
      codeLength: binary.code.length / INSTRUCTION_WORDS,
      benchmark: binary.meta.benchmark ?? null,
    },
    hardware: { name: hw.name, tiles: hw.tiles, pesPerTile: hw.pesPerTile, clockMHz: hw.clockMHz, dataBuses: hw.bus.dataBuses, busWidthWords: hw.bus.widthWords, fingerprint: fingerprint(canonicalHardware(hw)) },
    invokeMode: counts.invoke,
    samples: n,
    invocation: { predicted: counts.predicted, predictedRate: rate(counts.predicted), invoked: counts.invoked, invokedRate: rate(counts.invoked), cpuFallbacks: counts.fallbacks },
    outputs: { nonFinite: counts.nonFinite },
    quality,
    instructions: { setup: counts.setupInstructions, executed, perSample: n ? executed / n : 0 },
    cycles: { total, setup: timing.setupCycles, perSample: distribution(timing.sampleCycles), byStage },
    seconds,
    peUtilization: total > 0 ? timing.peBusyCycles / (totalPes(hw) * total) : 0,
    bus: { transactions: sum('transactions'), words: sum('words'), conflicts: sum('conflicts'), stallCycles: sum('stallCycles'), byRequester },
    energy: { totalPj: energy.total, perSamplePj: n ? energy.total / n : 0, breakdownPj: energy.components, actions: energy.actions },
    cpu: { cyclesPerEvaluation: sim.cpuCyclesPerEvaluation, cyclesSource: sim.cpuCostSource, npuCyclesPerEvaluation: timing.npuCyclesPerCpuEvaluation, evaluations: timing.cpuEvaluations, energyPerEvaluationPj: cpuEnergyPerEval },
    comparison: {
      cpuOnlyCycles,
      cpuOnlyEnergyPj,
      speedup,
      normalizedEnergy,
      energySaving: normalizedEnergy > 0 ? 1 / normalizedEnergy : 0,
      energyEfficiency: normalizedEnergy > 0 ? speedup / normalizedEnergy : 0,
      edpJouleSeconds: energy.total * 1e-12 * seconds,
      cpuOnlyEdpJouleSeconds: cpuOnlyEnergyPj * 1e-12 * cpuOnlySeconds,
    },
  };
  // Warnings come right after the schema, where a reader of the JSON sees them first.
  const { schema, ...rest } = facts;
  return { schema, warnings: reportWarnings(facts), ...rest };
}

/** A short stable fingerprint of a hardware description (FNV-1a), so reports say which machine they ran on. */
function fingerprint(text: string): string {
  return fnv1a(text).toString(16).padStart(8, '0');
}

/**
 * The report as JSON text. JSON has no Infinity or NaN, and JSON.stringify would write them as null, which
 * already means "no value" here (an approximation error with no delivered sample); they are written as the
 * strings "Infinity", "-Infinity" and "NaN" instead, as the CSV writes them.
 */
export function reportJson(report: RunReport): string {
  return JSON.stringify(report, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2) + '\n';
}
