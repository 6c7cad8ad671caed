// The valid inputs the fuzzer starts from: the files in examples/, programs compiled from them in-process
// (as binaries and as disassembled .s text), the tfjs test fixtures, and the hardware descriptions.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel } from '../compiler/pipeline.ts';
import { formatDiagnostic } from '../diagnostics/diagnostic.ts';
import { parseModel } from '../frontend/parse-model.ts';
import { DEFAULT_HARDWARE, HardwareSchema } from '../hardware/description.ts';
import { packBinary, type Binary } from '../isa/container.ts';
import { disassemble } from '../isa/disassemble.ts';
import { axnet, mlp, removeFixtures, write, type Fixture } from '../examples/tfjs-fixtures.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** An example model: its text, the weights file it names (if any), and its sample file. */
export interface ExampleModel {
  name: string;
  axn: string;
  weightsFile?: { name: string; text: string };
  samples: string;
}

const read = (name: string) => fs.readFileSync(path.join(EXAMPLES, name), 'utf8');

/** Sample files are cut to their first lines: the fuzzer mutates structure, not volume. */
const SAMPLE_LINES = 12;

function loadExamples(): ExampleModel[] {
  return fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.axn'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.axn'.length);
      const axn = read(f);
      const named = /weights\s+"([^"]+)"/.exec(axn)?.[1];
      return {
        name,
        axn,
        weightsFile: named ? { name: named, text: read(named) } : undefined,
        samples: read(`${name}.x`).split('\n').slice(0, SAMPLE_LINES).join('\n') + '\n',
      };
    });
}

let examples: ExampleModel[] | undefined;
export function exampleModels(): ExampleModel[] {
  return (examples ??= loadExamples());
}

/** Parses .axn text in memory; a weights file it names is looked up in `files` by base name. */
export function parseInMemory(text: string, file: string, files: Record<string, string | Uint8Array>): ReturnType<typeof parseModel> {
  return parseModel(text, path.join('/fuzz', file), {
    readFile: (p) => {
      const f = files[path.basename(p)];
      if (typeof f !== 'string') throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return f;
    },
  });
}

export interface CompiledExample {
  example: ExampleModel;
  binary: Binary;
  bytes: Uint8Array;
  /** Disassembly with the DRAM image as .data, so it assembles back to the whole binary. */
  assembly: string;
}

function compileExample(e: ExampleModel): CompiledExample {
  const files: Record<string, string> = e.weightsFile ? { [e.weightsFile.name]: e.weightsFile.text } : {};
  const { model, diagnostics } = parseInMemory(e.axn, `${e.name}.axn`, files);
  if (!model) throw new Error(`seed corpus: examples/${e.name}.axn does not load:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  const binary = compileModel(model);
  return { example: e, binary, bytes: packBinary(binary), assembly: disassemble(binary, { data: true }) };
}

let compiled: CompiledExample[] | undefined;
export function compiledExamples(): CompiledExample[] {
  return (compiled ??= exampleModels().map(compileExample));
}

/** Datapaths the binary seeds outside fp32 are compiled for: a float, a narrow fixed point, calibrated int8. */
const FORMAT_SEEDS: { example: string; datapath: string }[] = [
  { example: 'sobel', datapath: 'fp16' },
  { example: 'jpeg', datapath: 'fixed8.4' },
  { example: 'tiny', datapath: 'int8' },
];

let inFormats: { name: string; bytes: Uint8Array }[] | undefined;
/** Binaries outside fp32 (their numerics plan, packed DRAM image and float32 shadow image), as prog.bin seeds. */
export function formatBinaries(): { name: string; bytes: Uint8Array }[] {
  return (inFormats ??= FORMAT_SEEDS.map(({ example, datapath }) => {
    const e = exampleModels().find((m) => m.name === example)!;
    const files: Record<string, string> = e.weightsFile ? { [e.weightsFile.name]: e.weightsFile.text } : {};
    const { model } = parseInMemory(e.axn, `${e.name}.axn`, files);
    const calibration = e.samples.trim().split('\n').map((l) => Float32Array.from(l.split(/[\s,]+/), Number));
    const binary = compileModel(model!, { hardware: HardwareSchema.parse({ datapath }), calibration });
    return { name: `${example}-${datapath}.bin`, bytes: packBinary(binary) };
  }));
}

/** A tfjs layers model as its files: model.json and its one weight shard. */
export interface TfjsSeed {
  name: string;
  modelJson: string;
  shardName: string;
  shard: Uint8Array;
}

function tfjsSeed(name: string, f: Fixture): TfjsSeed {
  const w = write(f);
  const shardName = 'group1-shard1of1.bin';
  return { name, modelJson: w.text, shardName, shard: fs.readFileSync(path.join(w.dir, shardName)) };
}

let tfjs: TfjsSeed[] | undefined;
export function tfjsSeeds(): TfjsSeed[] {
  if (!tfjs) {
    try {
      tfjs = [tfjsSeed('axnet', axnet()), tfjsSeed('mlp', mlp())];
    } finally {
      removeFixtures(); // the fixtures' temp folder: the seeds are in memory now
    }
  }
  return tfjs;
}

/** Hardware descriptions: the example file, the built-in default written out in full, and a datapath given
 *  role by role with a lookup table. */
export function hardwareSeeds(): { name: string; text: string }[] {
  return [
    { name: 'npu-small.json', text: read('npu-small.json') },
    { name: 'default.json', text: JSON.stringify(DEFAULT_HARDWARE, null, 2) },
    { name: 'datapath.json', text: JSON.stringify({ tiles: 2, datapath: { weights: 'fixed16.8', activations: 'fp16', accumulator: 'fp32', lut: { entries: 64, range: 4, interpolation: 'linear' } } }, null, 2) },
  ];
}

/** Sweep specs: the example, and the same grid in JSON with a hardware file and compile options. */
export function sweepSeeds(): { name: string; text: string }[] {
  return [
    { name: 'sweep.yaml', text: read('sweep.yaml') },
    {
      name: 'sweep.json',
      text: JSON.stringify({ models: [{ model: 'tiny.axn', input: 'tiny.x' }], hardware: 'npu-small.json', axes: { 'bus.dataBuses': [1, 2], schedule: ['dynamic'], batch: [1, 4], datapath: ['fp16'] }, objectives: ['cycles.total', '-peUtilization'] }, null, 2),
    },
  ];
}
