// Child process of npm run bench: the file -> CSV path of `axc sim --input F --output out.csv` (readSamples,
// runSimulation and the CSV sink the command uses), timed, with the process's peak RSS growth over the run;
// then the in-memory simulator over the first samples of the same file, for the ratio. Prints one JSON line.
// Usage: node --import tsx perf/file-to-csv.ts <prog.bin> <input.x> <out.csv> <in-memory samples>

import { readFileSync } from 'node:fs';
import { AtomicWriter } from '../cli/write-atomic.ts';
import { csvRowSink } from '../simulator/csv-sink.ts';
import { unpackBinary } from '../isa/container.ts';
import { readSamples } from '../simulator/read-samples.ts';
import { runSimulation } from '../simulator/run-simulation.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { Simulator } from '../machine/simulator.ts';
import { timingFor } from '../machine/timing-model.ts';

const [binPath, input, output, inMemoryText] = process.argv.slice(2);
const bin = unpackBinary(readFileSync(binPath));
const width = bin.meta.inputWidth;

async function fileToCsv(): Promise<{ samples: number; seconds: number }> {
  const csv = new AtomicWriter(output);
  const sink = csvRowSink((chunk) => csv.write(chunk));
  const t0 = process.hrtime.bigint();
  // As axc sim does: rows the CPU takes carry the benchmark's exact output.
  const exact = bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined;
  const report = await runSimulation(bin, readSamples(input, width), { onRow: sink.onRow, exact });
  await sink.flush();
  await csv.commit();
  return { samples: report.samples, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

// The file path first (its RSS growth is measured before the in-memory samples exist), then both in turn:
// the best of five of each, interleaved, so a busy machine slows both alike.
const rssBefore = process.memoryUsage().rss;
const first = await fileToCsv();
const peakRss = process.resourceUsage().maxRSS * 1024;

// In memory: the same samples, already parsed, through the timed simulator alone (fast path, as `axc sim` runs).
const xs: Float32Array[] = [];
for await (const x of readSamples(input, width)) {
  xs.push(Float32Array.from(x));
  if (xs.length >= Number(inMemoryText)) break;
}
/** One pass of the fast timed simulator (the throughput table's fast column) over the parsed samples. */
const inMemory = () => {
  const sim = new Simulator(bin, { timing: timingFor(bin), fastPath: true });
  let invoked = 0;
  sim.runAll(xs, (r) => void (r.invoked && invoked++));
  sim.close();
  return invoked;
};
inMemory();
let fileSeconds = first.seconds;
let memorySeconds = Infinity;
// Best of five each, taken in turn, so that a burst of other work on the machine spoils a round, not the ratio.
const ROUNDS = 5;
for (let r = 0; r < ROUNDS; r++) {
  const t0 = process.hrtime.bigint();
  inMemory();
  memorySeconds = Math.min(memorySeconds, Number(process.hrtime.bigint() - t0) / 1e9);
  if (r < ROUNDS - 1) fileSeconds = Math.min(fileSeconds, (await fileToCsv()).seconds);
}
console.log(JSON.stringify({ samples: first.samples, fileRate: first.samples / fileSeconds, memoryRate: xs.length / memorySeconds, rssBefore, peakRss }));
