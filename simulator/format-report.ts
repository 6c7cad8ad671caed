// The run report as a readable table for the terminal.

import { COMPONENTS } from '../machine/actions.ts';
import { formatCount as count, formatDuration, formatEdp, formatEnergy, formatPercent as pct, formatRatio as ratio } from './format-quantities.ts';
import { formatQuality } from './format-quality.ts';
import { cpuCostIsPlaceholder } from './report-warnings.ts';
import type { RunReport } from './report.ts';

export { formatEnergy } from './format-quantities.ts';

/** Appended to every line whose figures rest on the hardware's placeholder CPU cost. */
export const PLACEHOLDER_MARK = '  [placeholder CPU cost: see warning]';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** The speedup read the right way round: below 1 it is a slowdown. */
export function describeSpeedup(speedup: number): string {
  if (speedup >= 1) return `${ratio(speedup)} (faster than CPU-only)`;
  return `${ratio(speedup)} — a ${ratio(1 / speedup)} slowdown against CPU-only`;
}

/** Normalised energy (E / E_cpu-only) read the right way round: the factor is always at least 1, and says "more" or "less". */
export function describeEnergy(normalizedEnergy: number): string {
  const exact = `E / E_cpu-only = ${normalizedEnergy.toFixed(3)}`;
  if (normalizedEnergy > 1) return `${ratio(normalizedEnergy)} more energy than CPU-only (${exact})`;
  if (normalizedEnergy === 1) return `the same energy as CPU-only (${exact})`;
  return `${ratio(1 / normalizedEnergy)} less energy than CPU-only (${exact})`;
}

/** Energy efficiency (speedup ÷ normalised energy) is the improvement in energy-delay product. */
export function describeEfficiency(efficiency: number): string {
  const why = '(speedup ÷ normalised energy)';
  if (efficiency >= 1) return `${ratio(efficiency)} ${why}: an energy-delay product ${ratio(efficiency)} better than CPU-only`;
  return `${ratio(efficiency)} ${why}: an energy-delay product ${ratio(1 / efficiency)} worse than CPU-only`;
}

export function formatReport(r: RunReport): string {
  const out: string[] = [];
  const inv = r.invocation;
  const placeholder = cpuCostIsPlaceholder(r) ? PLACEHOLDER_MARK : '';
  out.push(`model        ${r.program.model} (${r.program.inputWidth} -> ${r.program.outputWidth}, ${r.program.schedule} schedule${r.program.benchmark ? `, benchmark ${r.program.benchmark}` : ''})`);
  const hw = r.hardware;
  out.push(`hardware     ${hw.name}: ${count(hw.tiles)} tiles x ${count(hw.pesPerTile)} PEs, ${count(hw.dataBuses)} data bus${hw.dataBuses > 1 ? 'es' : ''} x ${count(hw.busWidthWords)} words, ${count(hw.clockMHz)} MHz`);
  out.push(`samples      ${count(r.samples)}`);
  out.push(`invocation   predicted ${count(inv.predicted)} (${pct(inv.predictedRate)}), on the NPU ${count(inv.invoked)} (${pct(inv.invokedRate)})${r.invokeMode === 'all' ? ' [--invoke all]' : ''}, CPU ${count(inv.cpuFallbacks)}`);
  out.push(`outputs      ${r.outputs.nonFinite === 0 ? 'every NPU output finite' : `${count(r.outputs.nonFinite)} sample${r.outputs.nonFinite === 1 ? '' : 's'} with NaN or infinite NPU outputs  [see warning]`}`);
  if (r.quality) out.push(...formatQuality(r.quality, inv.invoked));
  out.push(`instructions ${count(r.instructions.executed)} (${count(r.instructions.perSample)} per sample) + ${count(r.instructions.setup)} setup`);
  const ps = r.cycles.perSample;
  // The run's time includes the CPU fallbacks, so it too rests on the CPU cost when there were any.
  const fallbackMark = r.cpu.evaluations > 0 ? placeholder : '';
  out.push(`cycles       ${count(r.cycles.total)} total (${formatDuration(r.seconds)}); per sample mean ${count(ps.mean)}, p50 ${count(ps.p50)}, p99 ${count(ps.p99)}; setup ${count(r.cycles.setup)}${fallbackMark}`);
  out.push(`PE use       ${pct(r.peUtilization)}`);
  out.push('');
  out.push(table([['stage', 'cycles', 'share'], ...Object.entries(r.cycles.byStage).map(([s, c]) => [s, count(c), pct(r.cycles.total ? c / r.cycles.total : 0)])]));
  out.push('');
  out.push(
    table([
      ['bus requester', 'transfers', 'words', 'conflicts', 'stall cycles'],
      ...r.bus.byRequester.filter((b) => b.transactions > 0).map((b) => [b.requester, count(b.transactions), count(b.words), count(b.conflicts), count(b.stallCycles)]),
      ['total', count(r.bus.transactions), count(r.bus.words), count(r.bus.conflicts), count(r.bus.stallCycles)],
    ]),
  );
  out.push('');
  // The CPU fallbacks' energy, and so the totals, rest on the CPU cost too.
  const energyMark = fallbackMark.trim();
  const share = (pj: number) => pct(r.energy.totalPj ? pj / r.energy.totalPj : 0);
  out.push(
    table([
      ['energy', 'total', 'share', ''],
      ...COMPONENTS.map((c) => [c, formatEnergy(r.energy.breakdownPj[c]), share(r.energy.breakdownPj[c]), c === 'cpu' ? energyMark : '']),
      ['total', formatEnergy(r.energy.totalPj), '', energyMark],
      ['per sample', formatEnergy(r.energy.perSamplePj), '', energyMark],
    ]),
  );
  out.push('');
  const c = r.comparison;
  const cpuOnlySeconds = c.cpuOnlyCycles / (r.hardware.clockMHz * 1e6);
  out.push(
    `vs CPU only  every sample on the CPU: ${count(c.cpuOnlyCycles)} cycles (${formatDuration(cpuOnlySeconds)}), ${formatEnergy(c.cpuOnlyEnergyPj)}; ` +
      `CPU ${count(r.cpu.cyclesPerEvaluation)} CPU cycles (${count(r.cpu.npuCyclesPerEvaluation)} NPU cycles), ${formatEnergy(r.cpu.energyPerEvaluationPj)} per evaluation${placeholder}`,
  );
  if (r.samples === 0 || r.cycles.total === 0) out.push('speedup      no samples, nothing to compare');
  else {
    out.push(`speedup      ${describeSpeedup(c.speedup)}${placeholder}`);
    out.push(`energy       ${c.cpuOnlyEnergyPj > 0 && r.energy.totalPj > 0 ? describeEnergy(c.normalizedEnergy) : 'no ratio: one of the runs costs no energy'}${placeholder}`);
    if (c.energyEfficiency > 0) out.push(`efficiency   ${describeEfficiency(c.energyEfficiency)}${placeholder}`);
    out.push(`EDP          ${formatEdp(c.edpJouleSeconds)}, CPU-only ${formatEdp(c.cpuOnlyEdpJouleSeconds)}${placeholder}`);
  }
  if (r.datapath) out.push('', ...formatDatapath(r));
  if (r.warnings.length > 0) {
    out.push('');
    for (const w of r.warnings) out.push(`warning      ${w}`);
  }
  return out.join('\n') + '\n';
}

/** The datapath and, with --shadow fp32, what the format changed. */
function formatDatapath(r: RunReport): string[] {
  const d = r.datapath!;
  const lut = d.lut === 'exact' ? 'sigmoid/tanh exact' : `sigmoid/tanh from a ${count(d.lut.entries)}-entry table over ±${d.lut.range}, ${d.lut.interpolation}`;
  const out = [`datapath     weights ${d.weights}, activations ${d.activations}, accumulator ${d.accumulator}; ${lut}`];
  const sat = d.layers.filter((l) => l.saturations > 0).map((l) => `${l.name} ${count(l.saturations)}`);
  if (d.input.saturations > 0) sat.unshift(`input ${count(d.input.saturations)}`);
  out.push(`saturations  ${d.saturations === 0 ? 'none' : `${count(d.saturations)} (${sat.join(', ')})`}`);
  const q = r.quantization;
  if (q) {
    out.push(`vs fp32      ${count(q.decisionsFlipped)} decision${q.decisionsFlipped === 1 ? '' : 's'} flipped; H(x) deviation over ${count(q.compared)} samples both invoke: mean ${q.outputDeviation.mean.toPrecision(4)}, max ${q.outputDeviation.max.toPrecision(4)}`);
    if (q.quality && r.quality) {
      const a = r.quality;
      const b = q.quality;
      out.push(`             true invocation ${pct(a.trueInvocation)} (fp32 ${pct(b.trueInvocation)}), violation rate ${a.violationRate === null ? '—' : pct(a.violationRate)} (fp32 ${b.violationRate === null ? '—' : pct(b.violationRate)})`);
    }
  }
  return out;
}
