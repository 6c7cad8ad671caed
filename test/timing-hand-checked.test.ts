// Hand-checked timing and energy: three tiny hand-written programs whose cycles, bus conflicts and
// energy were computed by hand, instruction by instruction, from the rules in machine/timing-model.ts.
// Every figure below is derived in the comments; the code only checks the simulator agrees.
//
// Latencies are the defaults: mac 1 cycle/word, bias 1, relu 1, lut 4, buffer 1, on-chip memory 2,
// DRAM latency 100 + 4 per 16-word burst, decision 2, control bus 1. The bus moves 2 words per cycle.
// Energies are the defaults: fp32 mult 3.7, fp32 add 0.9, relu 0.1, lut 10, buffer word 5, on-chip
// memory word 50, DRAM word 975, bus word 2, control signal 1, decision 0.9 pJ; CPU 70 pJ per cycle.

import test from 'ava';
import { HardwareSchema } from '../hardware/description.ts';
import { assemble } from '../isa/assemble.ts';
import { runSimulation, type RunReport } from '../simulator/run-simulation.ts';

async function run(src: string, hw: object, samples: number[][]): Promise<RunReport> {
  const bin = assemble(src, 'hand.s', HardwareSchema.parse(hw));
  return runSimulation(bin, samples.map((s) => Float32Array.from(s)));
}

const close = (t: { true: (b: boolean, m?: string) => void }, actual: number, expected: number, what: string) =>
  t.true(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);

// Program 1: a 2 -> 2 -> 1 relu MLP on 1 tile of 2 PEs, weights resident (static), one sample.
const MLP = `
.stage setup
    ldw  t0, p0, 2, @0, d0, 3
    ldw  t0, p0, 1, @3, d6, 3
.stage predict
sample:
    recv m0, 2
.stage approximate
    ldi  t0, @0, m0, 2
    neu  t0, p0, 2, @0, 2, @0, relu, 0, @0, @0
    sto  t0, @0, m2, 2
    ldi  t0, @0, m2, 2
    neu  t0, p0, 1, @0, 2, @3, linear, 0, @0, @0
.stage output
    sto  t0, @0, m4, 1
    send m4, 1
    jmp  sample
.data d0 0.5, -0.25, 0.125, 1, 0.75, -0.5, 1.5, -2, 0.25
`;

test('program 1: static 2-2-1 MLP on one tile, one sample', async (t) => {
  const r = await run(MLP, { tiles: 1, pesPerTile: 2, weightBufferWords: 8, inputBufferWords: 8, outputBufferWords: 2, onChipMemoryWords: 64 }, [[1, 2]]);
  // ldw #1 (6 words): issue 0; DRAM data at 100 + ceil(6/16)*4 = 104; bus [104,107); done 104+3+1 = 108.
  // ldw #2 (3 words): issue 1; DRAM is pipelined: data at max(1+100, 104) + 4 = 108; tile 0's port is
  //   free at 108; bus [108,110); done 108+2+1 = 111.
  // Samples wait for setup: recv issues at 111 (bus free since 110), done 111+1+2 = 114.
  //                                                                                setup = 111 cycles.
  // ldi x: x ready 114 -> issue 114; bus [114,115); done 114+2+1 = 117.                    predict = 3.
  // neu h (2 PEs, fan-in 2, relu): inputs ready 117 -> issue 117; 1+2+1+1 = 5 cycles; done 122.
  // sto h: results ready 122 -> issue 122; bus [122,123); done 122+1+1 = 124.
  // ldi h: port free 124 -> issue 124; done 124+2+1 = 127.
  // neu y (1 PE, linear): issue 127; 1+2+1 = 4 cycles; done 131.        approximate = 131-114 = 17.
  // sto y: issue 131; done 133.  send: y ready 133 -> issue 133; done 133+2+1 = 136.  jmp at 134.
  //                                                                    output = 136-131 = 5.
  t.is(r.cycles.total, 136);
  t.is(r.cycles.setup, 111);
  t.deepEqual(r.cycles.byStage, { setup: 111, predict: 3, 'store-predictions': 0, decide: 0, approximate: 17, output: 5 });
  t.deepEqual(r.cycles.perSample, { mean: 25, p50: 25, p99: 25, min: 25, max: 25 }); // 136 - 111
  // Bus: tile 0 moved 6+3 weight words, 2+2 inputs and 2+1 outputs in 6 transfers; the CPU 2+1 in 2.
  t.deepEqual(r.bus.byRequester, [
    { requester: 'tile 0', transactions: 6, words: 16, conflicts: 0, stallCycles: 0 },
    { requester: 'cpu', transactions: 2, words: 3, conflicts: 0, stallCycles: 0 },
  ]);
  // PEs busy 2x5 + 1x4 = 14 PE-cycles of 2 PEs x 136 cycles.
  close(t, r.peUtilization, 14 / (2 * 136), 'PE utilisation');
  // Actions: 6 MACs (4 + 2), 3 bias adds, 2 relus; weight buffer 9 written + 6 + 3 read = 18 words;
  // input buffer 4 written + 2 + 2 read = 8; output buffer 3 written + 3 read = 6; on-chip memory
  // 2 (recv) + 4 (ldi) + 3 (sto) + 1 (send) = 10; DRAM 9; bus 9 + 2 + 4 + 3 + 1 = 19 words.
  const e = r.energy.breakdownPj;
  close(t, e.peMac, 6 * 3.7 + 6 * 0.9 + 3 * 0.9, 'peMac'); // 30.3
  close(t, e.activation, 2 * 0.1, 'activation');
  close(t, e.buffers, (18 + 8 + 6) * 5, 'buffers'); // 160
  close(t, e.onChipMemory, 10 * 50, 'on-chip memory');
  close(t, e.dram, 9 * 975, 'dram');
  close(t, e.bus, 19 * 2, 'bus');
  t.is(e.multiplier + e.controller + e.cpu + e.leakage, 0);
  close(t, r.energy.totalPj, 30.3 + 0.2 + 160 + 500 + 8775 + 38, 'total'); // 9503.5 pJ
});

// Program 2: a sigmoid predictor P(x) = sigmoid(x) decides; x = 1 goes to the NPU, x = -1 to the CPU.
const DECIDE = `
.stage setup
    ldw  t0, p0, 1, @0, d0, 2
.stage predict
sample:
    recv m0, 1
    ldi  t0, @0, m0, 1
    neu  t0, p0, 1, @0, 1, @0, sigmoid, 0, @0, @0
.stage store-predictions
    sto  t0, @0, m1, 1
.stage decide
    decs m1, 0.5, cpu_path
.stage output
    send m1, 1
    jmp  sample
.stage decide
cpu_path:
    cpu
    jmp  sample
.data d0 1, 0
`;

test('program 2: the controller sends one sample to the NPU path and one to the CPU', async (t) => {
  const hw = { tiles: 1, pesPerTile: 2, weightBufferWords: 8, inputBufferWords: 8, outputBufferWords: 2, onChipMemoryWords: 64, cpu: { cyclesPerEvaluation: 50 } };
  const r = await run(DECIDE, hw, [[1], [-1]]);
  // ldw (2 words): DRAM to 104, bus [104,105), done 106.                    setup = 106 (samples wait).
  // Sample 0: recv issue 106, done 109 | ldi issue 109, done 112 | neu (1+1+1+4 = 7) issue 112, done 119
  //   | sto issue 119, done 121 | decs issue 121, 2+2+1 = 5 cycles, resolves 126: P = 0.73 > 0.5
  //   | send issue 126, done 129 | jmp 127.
  // Sample 1: recv waits for the CPU port (send done 129): issue 129, done 132 | ldi 132 -> 135
  //   | neu 135 -> 142 | sto 142 -> 144 | decs 144, resolves 149: P = 0.27, branch
  //   | cpu issue 149, signal 1 cycle, exact f(x) 50 cycles: 150 -> 200 | jmp 150.
  // Stages: predict 3+3+7 per sample = 26; store-predictions 2+2 = 4; decide 5 + (5 + 1 + 50) = 61;
  // output 1 + 2 = 3; setup 106. Total 200. Per sample: 129-106 = 23 and 200-129 = 71.
  t.is(r.cycles.total, 200);
  t.deepEqual(r.cycles.byStage, { setup: 106, predict: 26, 'store-predictions': 4, decide: 61, approximate: 0, output: 3 });
  t.deepEqual(r.cycles.perSample, { mean: 47, p50: 23, p99: 71, min: 23, max: 71 });
  t.deepEqual(r.invocation, { predicted: 1, predictedRate: 0.5, invoked: 1, invokedRate: 0.5, cpuFallbacks: 1 });
  t.is(r.bus.conflicts, 0);
  t.is(r.bus.transactions, 5 + 3); // tile: ldw, 2 ldi, 2 sto; CPU: 2 recv, 1 send
  // Actions: 2 MACs, 2 bias adds, 2 lookups; buffers 6 + 4 + 4 words; on-chip memory 2+2+2+2+1 = 9;
  // DRAM 2; bus 2+2+2+2+1 = 9 words; 3 control signals (2 decisions, 1 CPU invoke); 2 decisions; 50 CPU cycles.
  const e = r.energy.breakdownPj;
  close(t, e.peMac, 2 * 3.7 + 2 * 0.9 + 2 * 0.9, 'peMac'); // 11
  close(t, e.activation, 2 * 10, 'activation');
  close(t, e.buffers, 14 * 5, 'buffers');
  close(t, e.onChipMemory, 9 * 50, 'on-chip memory');
  close(t, e.dram, 2 * 975, 'dram');
  close(t, e.bus, 9 * 2, 'bus');
  close(t, e.controller, 3 * 1 + 2 * 0.9, 'controller');
  close(t, e.cpu, 50 * 70, 'cpu');
  close(t, r.energy.totalPj, 11 + 20 + 70 + 450 + 1950 + 18 + 4.8 + 3500, 'total'); // 6023.8 pJ
  // All-CPU baseline: 2 x 50 cycles and 2 x 3500 pJ.
  t.is(r.comparison.cpuOnlyCycles, 100);
  t.is(r.comparison.cpuOnlyEnergyPj, 7000);
  close(t, r.comparison.speedup, 100 / 200, 'speedup');
  close(t, r.comparison.normalizedEnergy, 6023.8 / 7000, 'normalised energy');
  close(t, r.comparison.energyEfficiency, 100 / 200 / (6023.8 / 7000), 'efficiency');
});

// Program 3: two tiles load the same 4 words back to back over the data bus.
const BROADCAST = `
.stage predict
sample:
    recv m0, 4
    ldi  t0, @0, m0, 4
    ldi  t1, @0, m0, 4
    jmp  sample
`;

test('program 3: two tiles contend for one data bus; a second bus removes the conflict', async (t) => {
  const hw = { tiles: 2, pesPerTile: 1, weightBufferWords: 8, inputBufferWords: 8, outputBufferWords: 1, onChipMemoryWords: 64 };
  const one = await run(BROADCAST, hw, [[1, 2, 3, 4]]);
  // recv: issue 0, bus [0,2), done 0+2+2 = 4.
  // ldi t0: x ready 4 -> issue 4, bus [4,6), done 4+2+2 = 8.
  // ldi t1: issue 5, but the bus is busy until 6: conflict for tile 1, stall 1; bus [6,8); done 10.
  // jmp: 6. Total 10, all of it in stage predict.
  t.is(one.cycles.total, 10);
  t.is(one.cycles.byStage.predict, 10);
  t.deepEqual(one.bus.byRequester, [
    { requester: 'tile 0', transactions: 1, words: 4, conflicts: 0, stallCycles: 0 },
    { requester: 'tile 1', transactions: 1, words: 4, conflicts: 1, stallCycles: 1 },
    { requester: 'cpu', transactions: 1, words: 4, conflicts: 0, stallCycles: 0 },
  ]);
  // Energy: 12 bus words, 12 on-chip memory words (4 written, 8 read), 8 input-buffer words.
  close(t, one.energy.totalPj, 12 * 2 + 12 * 50 + 8 * 5, 'total'); // 664 pJ
  // With two buses, ldi t1 takes the idle bus at 5: no conflict, done 5+2+2 = 9.
  const two = await run(BROADCAST, { ...hw, bus: { dataBuses: 2 } }, [[1, 2, 3, 4]]);
  t.is(two.cycles.total, 9);
  t.is(two.bus.conflicts, 0);
  t.is(two.energy.totalPj, one.energy.totalPj, 'the same actions cost the same energy');
});
