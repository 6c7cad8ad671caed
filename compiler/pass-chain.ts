// A compiler pass from one IR to the next, and a flat list of passes whose neighbours tsc checks fit:
// `then` accepts only a pass whose input is the output of the passes before it.

import type { Hardware } from '../hardware/description.ts';
import type { BatchedModel } from './lowered-ir.ts';
import type { ScheduleMode } from './schedule-neurons.ts';

export interface PassContext {
  /** The hardware as the passes see it: capacities in values of the formats each memory holds
   *  (hardware/element-view.ts); the description itself in fp32. */
  hardware: Hardware;
  /** The hardware description as given, which the binary records. */
  description: Hardware;
  /** Sample rows that set int8's activation scales (`--calibrate`). */
  calibration?: readonly Float32Array[];
  schedule: ScheduleMode;
  /** Samples per batch asked for (`--batch`); undefined: as many as on-chip memory holds, capped. */
  batch?: number;
  /** Told of the schedule and batch chosen, for a caller that explains them (`axc compile`). */
  onScheduled?: (s: BatchedModel) => void;
}

export interface Pass<In, Out> {
  name: string;
  doc: string;
  run: (ir: In, ctx: PassContext) => Out;
  /** The IR this pass produced, as `--dump-after` prints it. */
  print: (ir: Out) => string;
}

/** What a pass is to a reader of the list: its name and what it does, whatever IR it works on. */
export type PassInfo = Pick<Pass<unknown, unknown>, 'name' | 'doc'>;

/** Called after each pass with its name and a printer of its output (printed only if wanted). */
export type AfterPass = (name: string, print: () => string) => void;

export interface PassChain<In, Out> {
  /** The passes, in the order they run. */
  readonly passes: readonly PassInfo[];
  run: (ir: In, ctx: PassContext, after: AfterPass) => Out;
  then: <Next>(next: Pass<Out, Next>) => PassChain<In, Next>;
}

/** The empty chain over IR `T`, to which `then` appends the passes one by one. */
export function passesFrom<T>(): PassChain<T, T> {
  return chain<T, T>([], (ir) => ir);
}

function chain<In, Out>(passes: readonly PassInfo[], run: PassChain<In, Out>['run']): PassChain<In, Out> {
  return {
    passes,
    run,
    then: <Next>(next: Pass<Out, Next>) =>
      chain<In, Next>([...passes, { name: next.name, doc: next.doc }], (ir, ctx, after) => {
        const out = next.run(run(ir, ctx, after), ctx);
        after(next.name, () => next.print(out));
        return out;
      }),
  };
}
