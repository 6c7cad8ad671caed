// Chooses the static placement by timing candidates with the timing model.
//
// After the controller's decision the machine is idle (every prediction has been stored and read), and
// the emitter reloads inputs after it, so a sample's time splits exactly: CPU path = predictor phase +
// decision + CPU, NPU path = predictor phase + decision + approximator phase. The predictor's layout and
// the approximator's layout can therefore be chosen separately, each the fastest of its candidates.
// The candidates are the layouts made for this machine and for every smaller machine reached by halving
// its tiles or its PEs per tile; those run unchanged here and contain the smaller machines' own
// candidates, so a machine with twice the tiles or twice the PEs per tile never gets a slower layout for
// either phase, and so never spends more cycles on a sample.

import type { Hardware } from '../hardware/description.ts';
import type { PathCycles } from '../machine/time-paths.ts';
import { estimateStaticCycles } from './estimate-cycles.ts';
import type { Chunk, FusedModel } from './lowered-ir.ts';
import { layoutOps, stackWeights, type LayoutSize, type UnstackedPiece } from './place-static.ts';

export interface TunedPlacement {
  chunks: Chunk[][];
  peak: number;
  /** Estimated cycles: the setup stage and one sample down each path. */
  cost: PathCycles;
  why: string;
}

interface Candidate {
  pieces: UnstackedPiece[][];
  label: string;
}

function halvings(n: number): number[] {
  const out = [n];
  while (n % 2 === 0 && n > 1) out.push((n /= 2));
  return out;
}

/** The spreads tried on a machine of `tiles`: every k up to 16, then powers of two and the whole machine. */
function spreads(tiles: number): number[] {
  const ks = new Set<number>();
  for (let k = 1; k <= Math.min(tiles, 16); k++) ks.add(k);
  for (let k = 32; k <= tiles; k *= 2) ks.add(k);
  ks.add(tiles);
  return [...ks].sort((a, b) => a - b);
}

/** Distinct layouts of `ops` for this machine and every halving of it. */
function candidates(f: FusedModel, ops: number[], hw: Hardware): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  if (ops.length === 0) return [{ pieces: [], label: 'none' }];
  for (const tiles of halvings(hw.tiles)) {
    for (const pesPerTile of halvings(hw.pesPerTile)) {
      const size: LayoutSize = { tiles, pesPerTile };
      for (const k of spreads(tiles)) {
        for (const balance of [false, true]) {
          const pieces = layoutOps(f, ops, size, k, balance);
          const key = JSON.stringify(pieces);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ pieces, label: `over at most ${k} tile${k > 1 ? 's' : ''}${balance ? ', balanced' : ''} (as on ${tiles} x ${pesPerTile})` });
        }
      }
    }
  }
  return out;
}

function combine(f: FusedModel, predictorOps: number[], approximatorOps: number[], p: Candidate, a: Candidate): UnstackedPiece[][] {
  const pieces: UnstackedPiece[][] = new Array(f.ops.length);
  predictorOps.forEach((op, i) => (pieces[op] = p.pieces[i]));
  approximatorOps.forEach((op, i) => (pieces[op] = a.pieces[i]));
  return pieces;
}

/** Whether `c` is faster than `best` on one path's sample, the one-off setup (loading the resident weights) breaking ties. */
function faster(c: PathCycles, best: PathCycles | null, path: 'npuSample' | 'cpuSample'): boolean {
  return best === null || c[path] < best[path] || (c[path] === best[path] && c.setup < best.setup);
}

export function tuneStaticPlacement(f: FusedModel, hw: Hardware): TunedPlacement | { overflow: string } {
  const predictorOps = f.ops.flatMap((op, i) => (op.subnet === 'predictor' ? [i] : []));
  const approximatorOps = f.ops.flatMap((op, i) => (op.subnet === 'approximator' ? [i] : []));
  const pCands = candidates(f, predictorOps, hw);
  const aCands = candidates(f, approximatorOps, hw);
  let overflow = { overflow: '', peak: Infinity };
  const cache = new Map<string, { chunks: Chunk[][]; peak: number; cost: PathCycles } | null>();
  const evaluate = (p: Candidate, a: Candidate) => {
    const pieces = combine(f, predictorOps, approximatorOps, p, a);
    const key = JSON.stringify(pieces);
    if (!cache.has(key)) {
      const stacked = stackWeights(f, hw, pieces);
      if ('overflow' in stacked) {
        if (stacked.peak < overflow.peak) overflow = stacked;
        cache.set(key, null);
      } else cache.set(key, { ...stacked, cost: estimateStaticCycles(f, hw, stacked.chunks, stacked.peak) });
    }
    return cache.get(key)!;
  };
  // Predictor phase first: its time is the CPU-path sample, whatever the approximator's layout.
  let best: { p: Candidate; a: Candidate } | null = null;
  for (const a0 of aCands) {
    let bestP: { p: Candidate; cost: PathCycles } | null = null;
    for (const p of pCands) {
      const e = evaluate(p, a0);
      if (e && faster(e.cost, bestP?.cost ?? null, 'cpuSample')) bestP = { p, cost: e.cost };
    }
    if (bestP) {
      best = { p: bestP.p, a: a0 };
      break;
    }
  }
  if (!best) return { overflow: overflow.overflow };
  // Then the approximator phase: the NPU-path sample, with the predictor's layout fixed.
  let bestCost = evaluate(best.p, best.a)!.cost;
  for (const a of aCands) {
    const e = evaluate(best.p, a);
    if (e && faster(e.cost, bestCost, 'npuSample')) {
      bestCost = e.cost;
      best = { p: best.p, a };
    }
  }
  const chosen = evaluate(best.p, best.a)!;
  const why = `predictor layers ${best.p.label}, approximator layers ${best.a.label}; estimated cycles: setup ${chosen.cost.setup}, NPU sample ${chosen.cost.npuSample}, CPU sample ${chosen.cost.cpuSample}`;
  return { ...chosen, why };
}
