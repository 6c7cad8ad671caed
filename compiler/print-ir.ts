// Readable dumps of the IR after each pass, for `axc compile --dump-after PASS`.

import { predictorOutputWidth, type AxModel, type Decision } from '../ir/model.ts';
import type { Region } from '../isa/container.ts';
import type { AllocatedModel, BatchedModel, DecisionOp, FusedModel, NeuronOp, ScheduledModel } from './lowered-ir.ts';

const reg = (r: Region) => `${r.space === 'ocm' ? 'm' : 'd'}[${r.addr}..${r.addr + r.len})`;
const named = (r: Region) => `${r.name}:${reg(r)}`;

export function printAxModel(m: AxModel): string {
  const lines = [`model ${m.name}: input ${m.inputWidth} -> output ${m.outputWidth}`];
  if (m.quality) lines.push(`  quality ${m.quality.metric} < ${m.quality.bound}`);
  lines.push('  approximator:');
  for (const l of m.approximator) lines.push(`    ${l.name} = dense(${l.inWidth} -> ${l.width}, ${l.activation})${l.control ? ` controlled by ${l.control}` : ''}`);
  const p = m.predictor;
  if (!p) lines.push('  predictor: none (always invoke)');
  else {
    lines.push('  predictor:');
    for (const l of p.hidden) lines.push(`    ${l.name} = dense(${l.inWidth} -> ${l.width}, ${l.activation})`);
    const o = p.output;
    const d = decisionText(o.decision);
    lines.push(`    split ${o.name} (${o.inWidth} -> ${predictorOutputWidth(o)}): ${o.segments.map((s) => `${s.name}[${s.width}, ${s.activation}]`).join(' ')} decision ${d}`);
  }
  return lines.join('\n') + '\n';
}

/** The softmax threshold shows only when it is not the default 0.5, as in the .axn printer. */
function decisionText(d: Decision): string {
  if (d.kind === 'sigmoid') return `sigmoid(threshold: ${d.threshold})`;
  return d.threshold === 0.5 ? `softmax(safe: ${d.safeIndex})` : `softmax(safe: ${d.safeIndex}, threshold: ${d.threshold})`;
}

function invokeRule(d: DecisionOp): string {
  if (d.kind === 'sigmoid') return `invoke when P(x) > ${d.threshold}`;
  return d.threshold === 0.5 ? `invoke when logit ${d.safeIndex} wins` : `invoke when P(logit ${d.safeIndex}) > ${d.threshold}`;
}

function opLine(op: NeuronOp): string {
  const gate = op.control ? ` ⊙ ${named(op.control)}` : '';
  return `${op.subnet.padEnd(12)} ${op.name.padEnd(14)} ${named(op.input)} -> ${named(op.output)}  ${op.fanIn}x${op.width} ${op.activation}${gate}`;
}

export function printFused(f: FusedModel): string {
  const lines = [`fused ${f.model.name}: ${f.ops.length} neuron ops`, 'on-chip memory:'];
  for (const r of f.regions) lines.push(`  ${reg(r).padEnd(16)} ${r.kind.padEnd(9)} ${r.name}`);
  lines.push('ops:');
  for (const op of f.ops) lines.push(`  ${opLine(op)}`);
  const d = f.decision;
  lines.push(d ? `decision: ${d.kind} at ${reg(d.at)} ${invokeRule(d)}` : 'decision: none (always invoke)');
  return lines.join('\n') + '\n';
}

export function printScheduled(s: ScheduledModel): string {
  const lines = [`schedule ${s.schedule}: ${s.reason}`];
  s.ops.forEach((op, i) => {
    const chunk = s.fanInChunk[i];
    lines.push(chunk !== null ? `  ${op.name}: fan-in ${op.fanIn} summed in chunks of ${chunk}` : `  ${op.name}:`);
    for (const c of s.chunks[i])
      lines.push(`    neurons [${c.first}, ${c.first + c.count}): ${c.pieces.map((p) => `t${p.tile}.p${p.pe}+${p.count}@wb${p.wbuf}`).join(' ')}`);
  });
  return lines.join('\n') + '\n';
}

export function printBatched(b: BatchedModel): string {
  const lines = [printScheduled(b).trimEnd(), `batch ${b.batchReason}`];
  if (b.batch > 1) {
    lines.push(`on-chip memory per sample (slot s at + s × ${b.slotStride}):`);
    for (const r of b.regions) lines.push(`  ${reg(r).padEnd(16)} ${r.kind.padEnd(9)} ${r.name}`);
  }
  return lines.join('\n') + '\n';
}

export function printAllocated(a: AllocatedModel): string {
  const lines = [printBatched(a).trimEnd(), `dram image: ${a.dram.length} words`];
  a.ops.forEach((op, i) => lines.push(`  ${op.name.padEnd(14)} rows d[${a.dramBase[i]}..${a.dramBase[i] + op.rows.length})  input @0..${op.fanIn}${op.control ? `  control @${a.controlSlot[i]}` : ''}`));
  return lines.join('\n') + '\n';
}
