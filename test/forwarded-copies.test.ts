// Random batched programs built around copy forwarding (machine/block/forward-copies.ts): ldis of 1-4 words on
// two tiles, their on-chip sources overwritten on one branch and read (as inputs, gates, or both from one word)
// on another or after the join, mac and fin reads, nested guards and decisions. On every program the planner
// proves with a forwarded read or a skipped ldi, the fast path equals the reference path, on inputs ending in
// every short batch, under model and --invoke all.

import test from 'ava';
import { assemble } from '../isa/assemble.ts';
import { packBinary, unpackBinary } from '../isa/container.ts';
import { fastPathDifference } from '../machine/block/fast-path-check.ts';
import { Simulator } from '../machine/simulator.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

/** On-chip words per slot: its four inputs, then scratch. */
const SLOT_WORDS = 16;
const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh'];
const WHENS = ['absent', 'cpu', 'npu', 'none'];
const PROGRAMS = 1000;

/**
 * A program of 1-3 slots. Each slot is received, its buffers given values (so most reads are of written words),
 * then random items. `digest`: every slot ends by storing both tiles' whole output buffers and sending them, so
 * every neuron computed reaches a result; otherwise it sends some of its on-chip words.
 */
function program(r: () => number, digest: boolean): { batch: number; src: string } {
  const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const batch = int(1, 3);
  const weights = Array.from({ length: 160 }, () => String(int(-20, 20) / 8));
  const out = ['.model forwarded', `.data d0 ${weights.join(', ')}`, '.stage setup', '    ldw  t0, p0, 8, @0, d0, 10', '    ldw  t1, p0, 8, @0, d80, 10', '.stage predict', 'sample:'];
  let labels = 0;
  const items = (received: number, depth: number, count: number): void => {
    const slot = () => (r() < 0.85 ? int(0, received - 1) : int(0, batch - 1));
    const word = (from: number, to: number) => slot() * SLOT_WORDS + int(from, to);
    const guard = (label: string) => {
      const s = slot();
      if (r() < 0.5) out.push(`    decs m${s * SLOT_WORDS + int(0, 11)}, ${pick([0.3, 0.5, 0.7])}, ${label}, s${s}`);
      else out.push(`    skip ${pick(WHENS)}, s${s}, ${label}`);
    };
    for (let k = 0; k < count; k++) {
      const t = int(0, 1);
      const u = r();
      if (u < 0.15 && depth < 2) {
        // A copy, and reads of it: on a branch where its source may be overwritten, on the other, after the join.
        const len = int(1, 4);
        const ib = int(0, 8 - len);
        const from = word(0, 12 - len);
        out.push(`    ldi  t${t}, @${ib}, m${from}, ${len}`);
        const read = () => {
          const q = r();
          if (q < 0.5) out.push(`    neu  t${t}, p${int(0, 3)}, ${int(1, 3)}, @${ib}, ${len}, @0, ${pick(ACTIVATIONS)}, 0, @0, @${int(0, 5)}`);
          else if (q < 0.7) out.push(`    neu  t${t}, p0, ${len}, @${int(0, 4)}, ${int(0, 4)}, @0, ${pick(ACTIVATIONS)}, 1, @${ib}, @${int(0, 8 - len)}`);
          else if (q < 0.85) out.push(`    mac  t${t}, p${int(0, 3)}, ${int(1, 3)}, @${ib}, ${len}, @0, ${int(0, 1)}, @${int(0, 5)}`);
          else out.push(`    fin  t${t}, p0, ${len}, @5, ${pick(ACTIVATIONS)}, 1, @${ib}, @${int(0, 8 - len)}`);
          if (r() < 0.7) out.push(`    sto  t${t}, @${int(0, 4)}, m${word(0, 8)}, ${int(1, 4)}`);
        };
        if (r() < 0.5) {
          const other = `other${labels++}`;
          const joined = `joined${labels++}`;
          guard(other);
          if (r() < 0.5) read();
          items(received, depth + 1, int(0, 3));
          if (r() < 0.5) out.push(`    sto  t${int(0, 1)}, @${int(0, 4)}, m${from + int(0, len - 1)}, 1`);
          out.push(`    jmp  ${joined}`, `${other}:`);
          items(received, depth + 1, int(0, 3));
          read();
          out.push(`${joined}:`);
          if (r() < 0.3) read();
        } else {
          items(received, depth + 1, int(0, 3));
          read();
        }
      } else if (u < 0.25) {
        const len = int(1, 4);
        out.push(`    ldi  t${t}, @${int(0, 7)}, m${word(0, 12 - len)}, ${len}`);
      } else if (u < 0.42) {
        const count = int(1, 3);
        const len = int(0, 8);
        const ib = int(0, 8 - len);
        // Gates sometimes from the inputs' first word, with another length.
        const gates = r() < 0.3 && ib + count <= 8 ? ib : int(0, 8 - count);
        out.push(`    neu  t${t}, p${int(0, 3)}, ${count}, @${ib}, ${len}, @0, ${pick(ACTIVATIONS)}, ${int(0, 1)}, @${gates}, @${int(0, 5)}`);
      } else if (u < 0.5) {
        const len = int(0, 4);
        out.push(`    mac  t${t}, p${int(0, 3)}, ${int(1, 3)}, @${int(0, 8 - len)}, ${len}, @0, ${int(0, 1)}, @${int(0, 5)}`);
      } else if (u < 0.56) {
        const count = int(1, 3);
        out.push(`    fin  t${t}, p${int(0, 3)}, ${count}, @5, ${pick(ACTIVATIONS)}, ${int(0, 1)}, @${int(0, 8 - count)}, @${int(0, 5)}`);
      } else if (u < 0.7) {
        const len = int(1, 3);
        out.push(`    sto  t${t}, @${int(0, 5)}, m${word(0, 12 - len)}, ${len}`);
      } else if (u < 0.74) {
        if (!digest) out.push(`    send m${word(0, 12)}, 4, s${slot()}`);
      } else if (u < 0.77) out.push(`    cpu  s${slot()}`);
      else if (depth < 2) {
        const past = `past${labels++}`;
        guard(past);
        items(received, depth + 1, int(0, 4));
        if (r() < 0.5) out.push(`${past}:`);
        else {
          const end = `end${labels++}`;
          out.push(`    jmp  ${end}`, `${past}:`);
          items(received, depth + 1, int(0, 4));
          out.push(`${end}:`);
        }
      }
    }
  };
  for (let s = 0; s < batch; s++) {
    const base = s * SLOT_WORDS;
    out.push(`    recv m${base}, 4${s ? `, s${s}` : ''}`);
    if (s === 0 || r() < 0.5) for (const t of [0, 1]) out.push(`    neu  t${t}, p0, 8, @0, 0, @0, linear, 0, @0, @0`);
    out.push(`    sto  t0, @0, m${base + 4}, 8`, `    sto  t1, @0, m${base + 12}, 4`);
    if (s === 0 || r() < 0.5)
      for (const t of [0, 1])
        for (let w = 0; w < 8; ) {
          const len = int(1, 8 - w);
          out.push(`    ldi  t${t}, @${w}, m${base + int(0, 12 - len)}, ${len}`);
          w += len;
        }
    items(s + 1, 0, int(2, 9));
  }
  for (let s = 0; s < batch; s++) {
    out.push(`    skip absent, s${s}, answered${s}`);
    const at = 64 + 16 * s;
    if (digest) out.push(`    sto  t0, @0, m${at}, 8`, `    sto  t1, @0, m${at + 8}, 8`, `    send m${at}, 16, s${s}`);
    else out.push(`    send m${s * SLOT_WORDS + int(0, 12)}, 4, s${s}`);
    out.push(`answered${s}:`);
  }
  out.push('    jmp  sample', '');
  return { batch, src: out.join('\n') };
}

test('random programs around copy forwarding: where the planner forwards a read or skips a copy, the fast path equals the reference path', (t) => {
  const inputs = (n: number) =>
    Array.from({ length: n }, (_, i) => Float32Array.of(((i * 7919) % 1000) / 1000, ((i * 104729) % 1000) / 1000 - 0.5, ((i * 31) % 97) / 50, ((i * 13) % 17) / 9 - 1));
  // Seeded, so a failure reproduces.
  const random = new SeededRandom(20261201);
  const r = () => random.next();
  let proved = 0;
  let forwarding = 0;
  for (let k = 0; k < PROGRAMS; k++) {
    const { batch, src } = program(r, k % 2 === 0);
    const bin = unpackBinary(packBinary(assemble(src, 'forwarded.s')));
    const sim = new Simulator(bin, { fastPath: true });
    const plan = sim.block?.plan;
    sim.close();
    if (!plan) continue;
    proved++;
    if (!plan.copies.inputFrom.some((m) => m !== null) && !plan.copies.skipped.includes(1)) continue;
    forwarding++;
    // Whole blocks of four batches, then each short last batch.
    for (let n = 16 * batch; n < 17 * batch; n++)
      for (const invoke of ['model', 'all'] as const) {
        const run = fastPathDifference(bin, inputs(n), invoke, false);
        if (run.difference !== null) return t.fail(`${n} samples, invoke ${invoke}: ${run.difference}\n${src}`);
      }
  }
  t.log(`${proved} of ${PROGRAMS} programs proved, ${forwarding} of them with a forwarded read or a skipped copy`);
  t.true(forwarding >= 250, `only ${forwarding} programs exercise forwarding`);
});
