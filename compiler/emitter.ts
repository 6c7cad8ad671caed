// The emitter's state: the instruction stream with its source positions and labels, what each tile's input
// buffer holds, and the stores waiting to be emitted. The emission passes (compiler/emit-program.ts, one
// sample at a time; compiler/emit-batch.ts, a batch) write through it.

import type { SourceLoc } from '../ir/model.ts';
import type { Instruction } from '../isa/encoding.ts';
import { OP_BY_MNEMONIC, STAGE_NAMES, type Mnemonic, type OperandValues, type SkipCondition, SKIP_CONDITIONS } from '../isa/table.ts';
import type { Hardware } from '../hardware/description.ts';
import type { NeuronOp } from './lowered-ir.ts';

type Stage = (typeof STAGE_NAMES)[number];
export const STAGE = Object.fromEntries(STAGE_NAMES.map((n, i) => [n, i])) as Record<Stage, number>;

export class Emitter {
  readonly code: Instruction[] = [];
  readonly locs: (SourceLoc | null)[] = [];
  readonly labels: { name: string; pc: number }[] = [];
  private readonly fixups: { pc: number; arg: number; label: string }[] = [];
  /** What region each tile's input buffer holds at @0, along the straight-line sample path. */
  private inputHeld: (string | null)[];

  /** `numeric`: the program computes outside fp32, so each neuron op names its layer's formats (q1 ...). */
  constructor(
    readonly hw: Hardware,
    readonly numeric = false,
  ) {
    this.inputHeld = new Array(hw.tiles).fill(null);
  }
  /** The `q` operand of an op of model layer `layer` (ir/numerics-plan.ts order): 0 in fp32. */
  layerOf(layer: number): number {
    return this.numeric ? layer + 1 : 0;
  }
  forgetInputs(): void {
    this.inputHeld.fill(null);
  }
  /** Appends one instruction, its operands by name; a label operand given as a name is resolved later. */
  emit<M extends Mnemonic>(mnemonic: M, stage: number, operands: OperandValues<M>, loc?: SourceLoc | null): void {
    const pc = this.code.length;
    const op = OP_BY_MNEMONIC.get(mnemonic)!;
    this.code.push({
      op: op.opcode,
      stage,
      args: op.fields.map((fd, i) => {
        const a = (operands as Record<string, number | string>)[fd.name];
        if (typeof a === 'number') return a;
        this.fixups.push({ pc, arg: i, label: a });
        return 0;
      }),
    });
    this.locs.push(loc ?? null);
  }
  label(name: string): void {
    this.labels.push({ name, pc: this.code.length });
  }
  /** Words [start, end) of the op's input into the tile's input buffer at @0, unless they are there already. */
  loadInput(op: NeuronOp, tile: number, stage: number, start = 0, end = op.fanIn): void {
    const key = start === 0 && end === op.fanIn ? `${op.input.name}:${op.fanIn}` : `${op.input.name}:${start}:${end}`;
    if (this.inputHeld[tile] === key) return;
    this.emit('ldi', stage, { tile, ibuf: 0, ocm: op.input.addr + start, len: end - start }, op.loc);
    this.inputHeld[tile] = key;
  }
  /** A control slice into the tile's input buffer at `ibuf`: whatever input it overwrites is no longer held. */
  loadControl(tile: number, ibuf: number, ocm: number, len: number, stage: number, loc: SourceLoc | undefined): void {
    this.emit('ldi', stage, { tile, ibuf, ocm, len }, loc);
    this.inputHeld[tile] = null;
  }
  /** Stores waiting to be emitted: until their op ends (stage 2: until stage 1 ends), or until a neu would
   *  overwrite their output-buffer words. In a batch each is guarded by its sample's `skip`. */
  private pendingStores: { tile: number; from: number; to: number; emit: () => void; guard: Guard | null }[] = [];
  deferStore(tile: number, from: number, to: number, emit: () => void, guard: Guard | null = null): void {
    this.pendingStores.push({ tile, from, to, emit, guard });
  }
  flushStores(tile?: number, from = 0, to = Infinity): void {
    const keep = [];
    const out = [];
    for (const st of this.pendingStores) {
      if (tile === undefined || (st.tile === tile && st.from < to && from < st.to)) out.push(st);
      else keep.push(st);
    }
    this.pendingStores = keep;
    // Consecutive stores of one sample share its guard.
    for (let i = 0; i < out.length; ) {
      let j = i + 1;
      while (j < out.length && sameGuard(out[j].guard, out[i].guard)) j++;
      const run = out.slice(i, j);
      this.guarded(out[i].guard, () => run.forEach((st) => st.emit()));
      i = j;
    }
  }
  /** Emits `body` under a guard: skipped when the guard's sample does not take this path. */
  guarded(guard: Guard | null, body: () => void): void {
    if (guard === null) return body();
    const past = this.fresh(`s${guard.slot}.past`);
    this.emit('skip', guard.stage, { when: guard.when, slot: guard.slot, target: past });
    body();
    this.label(past);
  }
  private labelCount = 0;
  /** A label name not used before. */
  fresh(prefix: string): string {
    return `${prefix}.${this.labelCount++}`;
  }
  resolve(): void {
    const pcOf = new Map(this.labels.map((l) => [l.name, l.pc]));
    for (const f of this.fixups) this.code[f.pc].args[f.arg] = pcOf.get(f.label)!;
  }
}

export function stageOf(op: NeuronOp): { compute: number; store: number } {
  if (op.subnet === 'predictor') return { compute: STAGE.predict, store: op.role === 'hidden' ? STAGE.predict : STAGE['store-predictions'] };
  return { compute: STAGE.approximate, store: op.role === 'output' ? STAGE.output : STAGE.approximate };
}

/** Which samples a stretch of a batch's code serves: it is skipped (`skip when, slot`) for the others. */
export interface Guard {
  when: number;
  slot: number;
  stage: number;
}

export function guardFor(when: SkipCondition, slot: number, stage: number): Guard {
  return { when: SKIP_INDEX[when], slot, stage };
}

const SKIP_INDEX = Object.fromEntries(SKIP_CONDITIONS.map((c, i) => [c, i])) as Record<SkipCondition, number>;

function sameGuard(a: Guard | null, b: Guard | null): boolean {
  return a === b || (a !== null && b !== null && a.when === b.when && a.slot === b.slot && a.stage === b.stage);
}
