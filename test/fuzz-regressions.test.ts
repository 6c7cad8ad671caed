// Regression tests for crashes and wrong accepts the fuzzer (fuzz/, npm run fuzz) found and that were fixed
// in the reader concerned; each test names the finding and rebuilds its input by hand.

import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { compileModel } from '../compiler/pipeline.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { readLayersModel } from '../frontend/layers-model/read-layers-model.ts';
import { sniffFileKind } from '../frontend/file-kind.ts';
import { MAX_SCHEMA_ARRAY_LENGTH } from '../input/json-depth.ts';
import { parseSampleLine } from '../simulator/read-samples.ts';
import { packBinary, unpackBinary } from '../isa/container.ts';
import { disassemble } from '../isa/disassemble.ts';
import { decodeProgram } from '../isa/encoding.ts';
import { INSTRUCTION_WORDS, OP_BY_MNEMONIC } from '../isa/table.ts';
import { assemble } from '../isa/assemble.ts';
import { repoRoot } from './support/run-axc.ts';

const TINY = (() => {
  const { model, diagnostics } = loadModelFile(path.join(repoRoot, 'examples', 'tiny.axn'));
  if (!model) throw new Error(JSON.stringify(diagnostics));
  return compileModel(model);
})();

test('fuzz bin: an instruction with stray reserved bits is refused by the loader (AXB405 naming the file), not first by the disassembler', (t) => {
  // Found as "bin wrong-accept@disassemble: illegal instruction at pc N: reserved bits of 'recv' are not zero":
  // unpackBinary accepted code it had never decoded, so `axc disasm` was the first to notice.
  const recv = OP_BY_MNEMONIC.get('recv')!.opcode;
  const pc = decodeProgram(TINY.code).findIndex((i) => i.op === recv);
  t.true(pc >= 0);
  const code = TINY.code.slice();
  code[pc * INSTRUCTION_WORDS + INSTRUCTION_WORDS - 1] |= 0x80000000; // the top bit of a recv is reserved
  const bytes = packBinary({ ...TINY, code });
  const e = t.throws(() => unpackBinary(bytes, 'prog.bin'), { instanceOf: AxcError }) as AxcError;
  t.deepEqual(
    e.diagnostics.map((d) => [d.code, d.file]),
    [['AXB405', 'prog.bin']],
  );
  t.regex(e.diagnostics[0].message, new RegExp(`at pc ${pc}: reserved bits of 'recv' are not zero`));
  // The untouched program still loads and disassembles.
  t.notThrows(() => disassemble(unpackBinary(packBinary(TINY), 'prog.bin')));
});

test('fuzz asm/bin: a binary naming a benchmark of other widths, or an unknown one, is refused by the loader and the assembler (AXB423), not when the simulation starts', (t) => {
  // Found as an asm "simulation fault": `.benchmark inversek2j` on a 2 -> 0 program assembled and loaded, and
  // only runSimulation refused it. The loader now checks what the simulator would; that the assembler accepts
  // such a program is reported to the assembler's owner (the second half of this test documents the loader side).
  const mismatched = packBinary({ ...TINY, meta: { ...TINY.meta, benchmark: 'sobel' } });
  const e = t.throws(() => unpackBinary(mismatched, 'prog.bin'), { instanceOf: AxcError }) as AxcError;
  t.deepEqual(
    e.diagnostics.map((d) => [d.code, d.file, d.message]),
    [['AXB423', 'prog.bin', "the program names benchmark 'sobel' (9 -> 1) for a 2 -> 1 program"]],
  );
  const unknown = packBinary({ ...TINY, meta: { ...TINY.meta, benchmark: 'x'.repeat(5000) } });
  const u = t.throws(() => unpackBinary(unknown, 'prog.bin'), { instanceOf: AxcError }) as AxcError;
  t.true(u.diagnostics[0].message.length < 200, u.diagnostics[0].message);
  t.regex(u.diagnostics[0].message, /benchmark 'x{1,60}(…|\.\.\.)'/);
  // A matching benchmark still loads (sobel is 9 -> 1).
  const { model } = loadModelFile(path.join(repoRoot, 'examples', 'sobel.axn'));
  const sobel = compileModel(model!);
  t.is(unpackBinary(packBinary(sobel)).meta.benchmark, 'sobel');
  // The assembler path that found it: `assemble` applies the loader's checks, so it refuses it too.
  const asm = disassemble(TINY, { data: true }).replace('.schedule static', '.schedule static\n.benchmark sobel');
  t.throws(() => assemble(asm, 'prog.s'), { instanceOf: AxcError, message: /names benchmark 'sobel'/ });
});

test('fuzz tfjs: a model.json array of 200,000 wrong elements overflowed zod; arrays past 10,000 elements are AXU710 at the element past the limit', (t) => {
  // Found as `RangeError: Maximum call stack size exceeded` in zod: weightsManifest[0].paths held 199,988
  // numbers, each an issue, and zod spreads an array's issues into its parent's in one call.
  const dir = mkdtempSync(path.join(tmpdir(), 'axc-fuzz-long-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'model.json');
  const withPaths = (n: number) => `{"modelTopology": {}, "weightsManifest": [{"paths": [${new Array(n).fill('1e39').join(',')}], "weights": []}]}`;
  const head = '{"modelTopology": {}, "weightsManifest": [{"paths": [';
  writeFileSync(file, withPaths(200_000));
  const ds = readLayersModel(file).diagnostics;
  t.deepEqual(
    ds.map((d) => [d.code, d.loc?.line, d.loc?.col, d.message]),
    [['AXU710', 1, head.length + MAX_SCHEMA_ARRAY_LENGTH * 5 - 1 + 1, 'model.json has an array of more than 10,000 elements; this value is element 10,001']],
  );
  // At the limit the scan lets the file through, and the schema reports the paths as the wrong type, cleanly.
  writeFileSync(file, withPaths(MAX_SCHEMA_ARRAY_LENGTH));
  const atLimit = readLayersModel(file).diagnostics;
  t.true(atLimit.length > 0);
  t.false(atLimit.some((d) => d.code === 'AXU710'));
});

test('fuzz samples: a 100,000-digit token that is not a number is refused at once (the decimal pattern backtracked quadratically: 22 s for 128k digits)', (t) => {
  const token = `${'9'.repeat(100_000)}x`;
  const started = process.hrtime.bigint();
  const e = t.throws(() => parseSampleLine(`1 ${token}`, 1, 'x.x', new Float32Array(2)), { instanceOf: AxcError }) as AxcError;
  t.is(e.diagnostics[0].code, 'AXS601');
  t.is(e.diagnostics[0].loc?.col, 3);
  // The same kind of line must not stall the file-kind sniffing that runs before readers (it sees 64 KiB).
  t.is(sniffFileKind(Buffer.from(`${'9'.repeat(60_000)}x\n`)), 'text');
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Linear work is well under a millisecond here; the quadratic pattern took seconds. A generous bound, as the fuzz suite's.
  t.true(ms < 2000, `${ms.toFixed(0)} ms`);
});
