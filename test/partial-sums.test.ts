// Chunked fan-in at the ISA level: a neuron computed as `mac` over consecutive chunks of its fan-in, then
// `fin`, equals the reference interpreter's whole-neuron numerics (ir/numerics.ts: dotBias, the activation,
// the gate) bit for bit, for random fan-ins, chunk boundaries, activations and gates; and the timing model
// charges exactly the multiply-adds and finishes the program performs.

import test from 'ava';
import fc from 'fast-check';
import { applyActivationCode, dotBias, gate } from '../ir/numerics.ts';
import { ACTIVATIONS } from '../ir/model.ts';
import { HardwareSchema } from '../hardware/description.ts';
import { assemble } from '../isa/assemble.ts';
import { disassemble } from '../isa/disassemble.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';
import { ACTION } from '../machine/actions.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

/** Small buffers, so that the chunks are what a cramped NPU would need. */
const HW = HardwareSchema.parse({ name: 'cramped', tiles: 1, pesPerTile: 4, weightBufferWords: 32, inputBufferWords: 32, outputBufferWords: 8 });

const f32 = Math.fround;
const bits = (v: number) => new Uint32Array(Float32Array.of(v).buffer)[0];

interface Case {
  fanIn: number;
  count: number;
  /** Chunk ends, increasing, the last equal to fanIn. */
  ends: number[];
  act: number;
  ctl: boolean;
  seed: number;
}

const caseArb = fc
  .record({ fanIn: fc.integer({ min: 1, max: 90 }), count: fc.integer({ min: 1, max: 4 }), act: fc.integer({ min: 0, max: ACTIVATIONS.length - 1 }), ctl: fc.boolean(), seed: fc.nat(), cuts: fc.array(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 8 }) })
  .map(({ fanIn, count, act, ctl, seed, cuts }): Case => {
    // Chunks of 1 to 28 words: the input buffer (32 words) holds a chunk at @0 and a control slice of up to 4 at the top.
    const ends: number[] = [];
    let at = 0;
    for (let i = 0; at < fanIn; i++) {
      at = Math.min(fanIn, at + cuts[i % cuts.length]);
      ends.push(at);
    }
    return { fanIn, count, ends, act, ctl, seed };
  });

/** The program: per sample, each chunk's inputs and weights into the tile, `mac`, then `fin`, `sto`, `send`. */
function programFor(c: Case, w: Float32Array[], bias: Float32Array): string {
  const data: number[] = [];
  const lines: string[] = [];
  const inputs = c.fanIn + (c.ctl ? c.count : 0);
  const cbuf = 31 - c.count + 1; // the control slice sits at the top of the input buffer
  lines.push(`top: recv m0, ${inputs}`);
  if (c.ctl) lines.push(`  ldi t0, @${cbuf}, m${c.fanIn}, ${c.count}`);
  let start = 0;
  c.ends.forEach((end, i) => {
    const last = i === c.ends.length - 1;
    const row = end - start + (last ? 1 : 0);
    const dram = data.length;
    for (let k = 0; k < c.count; k++) {
      for (let j = start; j < end; j++) data.push(w[k][j]);
      if (last) data.push(bias[k]);
    }
    lines.push(`  ldi t0, @0, m${start}, ${end - start}`);
    lines.push(`  ldw t0, p0, ${c.count}, @0, d${dram}, ${row}`);
    lines.push(`  mac t0, p0, ${c.count}, @0, ${end - start}, @0, ${i === 0 ? 0 : 1}, @0`);
    if (last) lines.push(`  fin t0, p0, ${c.count}, @${end - start}, ${ACTIVATIONS[c.act]}, ${c.ctl ? 1 : 0}, @${c.ctl ? cbuf : 0}, @0`);
    start = end;
  });
  const out = inputs;
  lines.push(`  sto t0, @0, m${out}, ${c.count}`, `  send m${out}, ${c.count}`, '  jmp top');
  return `.data d0 ${data.map((v) => String(v)).join(', ')}\n${lines.join('\n')}\n`;
}

test('mac over any chunking, then fin, equals the whole neuron of the reference numerics bit for bit; timing counts its work', (t) => {
  let checked = 0;
  fc.assert(
    fc.property(caseArb, (c) => {
      const rng = new SeededRandom(c.seed);
      const w = Array.from({ length: c.count }, () => Float32Array.from({ length: c.fanIn }, () => f32(rng.uniform(-1, 1))));
      const bias = Float32Array.from({ length: c.count }, () => f32(rng.uniform(-1, 1)));
      const bin = assemble(programFor(c, w, bias), 'chunks.s', HW);
      const timing = timingFor(bin);
      const sim = new Simulator(bin, { timing });
      const samples = 3;
      for (let s = 0; s < samples; s++) {
        const x = Float32Array.from({ length: c.fanIn + (c.ctl ? c.count : 0) }, () => f32(rng.uniform(-2, 2)));
        const y = sim.runSample(x).y;
        for (let k = 0; k < c.count; k++) {
          let h = applyActivationCode(c.act, dotBias(w[k], 0, x, 0, c.fanIn, bias[k]));
          if (c.ctl) h = gate(h, x[c.fanIn + k]);
          if (bits(y[k]) !== bits(h)) return false;
        }
        checked++;
      }
      sim.close();
      const a = timing.summary().actions;
      const perSample = c.count * c.fanIn;
      // Counted from the program's shape, not from the rules: every weight multiplied and added once per
      // sample, one bias per neuron, one activation per neuron unless linear.
      if (a[ACTION.macMult] !== samples * perSample || a[ACTION.macAdd] !== samples * perSample || a[ACTION.biasAdd] !== samples * c.count) return false;
      // The disassembly reads back as the same program.
      const again = assemble(disassemble(bin, { data: true }), 'again.s', HW);
      return Buffer.from(again.code.buffer).equals(Buffer.from(bin.code.buffer));
    }),
    { seed: 1011, numRuns: 200 },
  );
  t.true(checked >= 600);
});

test('the loader refuses a mac or fin whose operands leave the buffers, naming the instruction', (t) => {
  const bad = [
    ['  mac t0, p0, 5, @0, 4, @0, 0, @0', /PEs \[0, 5\) exceed the tile's 4/],
    ['  mac t0, p0, 1, @0, 33, @0, 0, @0', /input-buffer range \[0, 33\) exceeds the 32-word input buffer/],
    ['  mac t0, p0, 1, @0, 4, @30, 1, @0', /weight-buffer range \[30, 34\) exceeds the 32-word weight buffer/],
    ['  fin t0, p0, 1, @32, relu, 0, @0, @0', /bias address \[32, 33\) exceeds the 32-word weight buffer/],
    ['  fin t0, p0, 2, @0, relu, 1, @31, @0', /control slice \[31, 33\) exceeds the 32-word input buffer/],
    ['  fin t0, p1, 2, @0, tanh, 0, @0, @7', /output-buffer range \[7, 9\) exceeds the 8-word output buffer/],
    ['  mac t0, p0, 2, @0, 4, @0, 1, @7', /output-buffer range \[7, 9\) exceeds the 8-word output buffer/],
  ] as const;
  for (const [line, message] of bad) {
    const e = t.throws(() => assemble(`top: recv m0, 4\n${line}\n  jmp top\n`, 'bad.s', HW));
    t.regex(e!.message, message, line);
    t.regex(e!.message, /AXB405/, line);
  }
});
