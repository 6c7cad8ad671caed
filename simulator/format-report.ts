// The run report as a readable table for the terminal.

import { COMPONENTS } from './actions.ts';
import type { RunReport } from './report.ts';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fixed = (x: number, d = 2) => x.toFixed(d);

/** Energy with a readable unit. */
export function formatEnergy(pj: number): string {
  const units: [number, string][] = [[1e12, 'J'], [1e9, 'mJ'], [1e6, 'µJ'], [1e3, 'nJ']];
  for (const [scale, unit] of units) if (Math.abs(pj) >= scale) return `${(pj / scale).toFixed(3)} ${unit}`;
  return `${pj.toFixed(1)} pJ`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

export function formatReport(r: RunReport): string {
  const out: string[] = [];
  const inv = r.invocation;
  out.push(`model        ${r.program.model} (${r.program.inputWidth} -> ${r.program.outputWidth}, ${r.program.schedule} schedule${r.program.benchmark ? `, benchmark ${r.program.benchmark}` : ''})`);
  out.push(`hardware     ${r.hardware.name}: ${r.hardware.tiles} tiles x ${r.hardware.pesPerTile} PEs, ${r.hardware.dataBuses} data bus${r.hardware.dataBuses > 1 ? 'es' : ''} x ${r.hardware.busWidthWords} words, ${r.hardware.clockMHz} MHz`);
  out.push(`samples      ${int(r.samples)}`);
  out.push(`invocation   predicted ${int(inv.predicted)} (${pct(inv.predictedRate)}), on the NPU ${int(inv.invoked)} (${pct(inv.invokedRate)})${r.invokeMode === 'all' ? ' [--invoke all]' : ''}, CPU ${int(inv.cpuFallbacks)}`);
  out.push(`instructions ${int(r.instructions.executed)} (${fixed(r.instructions.perSample, 1)} per sample) + ${int(r.instructions.setup)} setup`);
  const ps = r.cycles.perSample;
  out.push(`cycles       ${int(r.cycles.total)} total (${(r.seconds * 1e6).toFixed(3)} µs); per sample mean ${fixed(ps.mean, 1)}, p50 ${int(ps.p50)}, p99 ${int(ps.p99)}; setup ${int(r.cycles.setup)}`);
  out.push(`PE use       ${pct(r.peUtilization)}`);
  out.push('');
  out.push(table([['stage', 'cycles', 'share'], ...Object.entries(r.cycles.byStage).map(([s, c]) => [s, int(c), pct(r.cycles.total ? c / r.cycles.total : 0)])]));
  out.push('');
  out.push(
    table([
      ['bus requester', 'transfers', 'words', 'conflicts', 'stall cycles'],
      ...r.bus.byRequester.filter((b) => b.transactions > 0).map((b) => [b.requester, int(b.transactions), int(b.words), int(b.conflicts), int(b.stallCycles)]),
      ['total', int(r.bus.transactions), int(r.bus.words), int(r.bus.conflicts), int(r.bus.stallCycles)],
    ]),
  );
  out.push('');
  out.push(table([['energy', 'total', 'share'], ...COMPONENTS.map((c) => [c, formatEnergy(r.energy.breakdownPj[c]), pct(r.energy.totalPj ? r.energy.breakdownPj[c] / r.energy.totalPj : 0)]), ['total', formatEnergy(r.energy.totalPj), ''], ['per sample', formatEnergy(r.energy.perSamplePj), '']]));
  out.push('');
  const c = r.comparison;
  out.push(`vs CPU only  ${int(c.cpuOnlyCycles)} cycles, ${formatEnergy(c.cpuOnlyEnergyPj)} (CPU: ${int(r.cpu.cyclesPerEvaluation)} cycles, ${formatEnergy(r.cpu.energyPerEvaluationPj)} per evaluation)`);
  out.push(`             speedup ${fixed(c.speedup)}x, energy ${fixed(c.normalizedEnergy, 3)} of CPU-only (${fixed(c.energySaving)}x less), efficiency ${fixed(c.energyEfficiency)} (speedup / normalised energy), EDP ${c.edpJouleSeconds.toExponential(3)} J·s vs ${c.cpuOnlyEdpJouleSeconds.toExponential(3)}`);
  return out.join('\n') + '\n';
}
