// Pass: allocation. Lays out the DRAM weight image (each op's rows, contiguous) and each op's input
// buffer (layer input at @0, control slice right after), and checks every memory fits the NPU.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import type { Hardware } from '../hardware/description.ts';
import type { Region } from '../isa/container.ts';
import type { AllocatedModel, ScheduledModel } from './lowered-ir.ts';

export function allocateMemory(s: ScheduledModel, hw: Hardware): AllocatedModel {
  const ocmUsed = s.regions.reduce((m, r) => Math.max(m, r.addr + r.len), 0);
  if (ocmUsed > hw.onChipMemoryWords)
    fail(DIAG.onChipMemoryTooSmall, s.model.loc ?? s.model.sourceFile, ocmUsed, hw.onChipMemoryWords);

  const controlSlot: number[] = [];
  s.ops.forEach((op, i) => {
    const widestPiece = Math.max(...s.chunks[i].flatMap((c) => c.pieces.map((p) => p.count)));
    const need = op.fanIn + (op.control ? widestPiece : 0);
    if (need > hw.inputBufferWords)
      fail(DIAG.inputBufferTooSmall, op.loc, op.name, need, op.fanIn, op.control ? widestPiece : null, hw.inputBufferWords);
    controlSlot.push(op.fanIn);
  });

  const dramBase: number[] = [];
  const dramRegions: Region[] = [];
  let next = 0;
  for (const op of s.ops) {
    dramBase.push(next);
    dramRegions.push({ name: op.name, kind: 'weights', space: 'dram', addr: next, len: op.rows.length });
    next += op.rows.length;
  }
  if (next > hw.dramWords) fail(DIAG.dramTooSmall, s.model.loc ?? s.model.sourceFile, next, hw.dramWords);
  const dram = new Float32Array(next);
  s.ops.forEach((op, i) => dram.set(op.rows, dramBase[i]));
  return { ...s, dramBase, dram, controlSlot, dramRegions };
}
