// Decision thresholds after compilation: isa/decision-threshold.ts rewrites only the threshold fields (and
// equals recompiling at T), and `axc sim --threshold T` through the real CLI: 0.5 reproduces the compiled
// default byte for byte, another T agrees with the reference interpreter at T, bad values are usage errors.

import test, { type ExecutionContext } from 'ava';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileModel } from '../compiler/pipeline.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { interpretModel } from '../ir/interpret-model.ts';
import type { AxModel } from '../ir/model.ts';
import { assemble } from '../isa/assemble.ts';
import { packBinary, type Binary } from '../isa/container.ts';
import { decisionInstructions, withDecisionThreshold } from '../isa/decision-threshold.ts';
import { disassemble } from '../isa/disassemble.ts';
import { decodeProgram } from '../isa/encoding.ts';
import { OP_BY_CODE } from '../isa/table.ts';
import { simCommand } from '../cli/commands/sim.ts';
import { parseThresholdOption } from '../cli/threshold-option.ts';
import { AxcError } from '../diagnostics/diagnostic.ts';
import { repoRoot, runAxcAsync, runAxcInProcess } from './support/run-axc.ts';

const example = (name: string) => path.join(repoRoot, 'examples', name);

function loadExample(name: string): AxModel {
  const { model, diagnostics } = loadModelFile(example(`${name}.axn`));
  if (!model) throw new Error(JSON.stringify(diagnostics));
  return model;
}

function withThreshold(m: AxModel, t: number): AxModel {
  const p = m.predictor!;
  return { ...m, predictor: { ...p, output: { ...p.output, decision: { ...p.output.decision, threshold: t } } } };
}

function tempDir(t: ExecutionContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'axc-threshold-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const SOBEL = loadExample('sobel'); // softmax decision (decm)
const TINY = loadExample('tiny'); // sigmoid decision (decs)

/** tiny's program with a decm added after its decs: both kinds in one binary, thresholds 0.5 and 0.25. */
function bothKinds(): Binary {
  const bin = compileModel(TINY);
  const text = disassemble(bin, { data: true }).replace(/^( +decs m4, 0\.5, cpu_fallback.*)$/m, '$1\n    decm m2, 0, 0.25, cpu_fallback');
  return assemble(text, 'both.s', bin.hardware);
}

test('withDecisionThreshold changes only the threshold field of every decs and decm, and not its input', (t) => {
  const bin = bothKinds();
  t.deepEqual(
    decisionInstructions(bin).map(({ kind, threshold }) => ({ kind, threshold })),
    [{ kind: 'sigmoid', threshold: 0.5 }, { kind: 'softmax', threshold: 0.25 }],
  );
  const codeBefore = bin.code.slice();
  const T = 0.7;
  const out = withDecisionThreshold(bin, T);
  t.deepEqual(bin.code, codeBefore, 'the input binary is untouched');
  t.not(out.code, bin.code);
  t.deepEqual({ ...out, code: null }, { ...bin, code: null }, 'everything but the code is the same');
  const before = decodeProgram(bin.code);
  const after = decodeProgram(out.code);
  t.is(after.length, before.length);
  let changed = 0;
  before.forEach((ins, pc) => {
    const op = OP_BY_CODE[ins.op]!;
    t.is(after[pc].op, ins.op);
    t.is(after[pc].stage, ins.stage);
    op.layout.forEach((fd, i) => {
      const isThreshold = (op.mnemonic === 'decs' || op.mnemonic === 'decm') && fd.name === 'threshold';
      if (isThreshold) changed++;
      t.is(after[pc].args[i], isThreshold ? Math.fround(T) : ins.args[i], `pc ${pc} ${op.mnemonic}.${fd.name}`);
    });
  });
  t.is(changed, 2);
  t.deepEqual(decisionInstructions(out).map((d) => d.threshold), [Math.fround(T), Math.fround(T)]);
  t.throws(() => withDecisionThreshold(bin, 1), { instanceOf: RangeError });
});

test('retargeting a compiled binary equals compiling the model at that threshold, for both kinds', (t) => {
  for (const [model, T] of [[SOBEL, 0.55], [TINY, 0.3]] as const) {
    const retargeted = withDecisionThreshold(compileModel(model), T);
    t.deepEqual(retargeted.code, compileModel(withThreshold(model, T)).code, model.name);
  }
  t.deepEqual(withDecisionThreshold(compileModel(SOBEL), 0.5).code, compileModel(SOBEL).code, '0.5 is what sobel holds');
});

/** Rows of a sim CSV against the interpreter with the model's threshold set to T: p, invoked, and y when invoked. */
function checkCsv(t: ExecutionContext, model: AxModel, csv: string, T: number): number {
  const xs = fs.readFileSync(example(`${model.name}.x`), 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const rows = csv.trimEnd().split('\n').slice(1);
  t.is(rows.length, xs.length);
  const m = withThreshold(model, T);
  let invoked = 0;
  rows.forEach((row, i) => {
    const cells = row.split(',');
    const e = interpretModel(m, Float32Array.from(xs[i].trim().split(/[\s,]+/).map(Number)));
    const w = model.outputWidth;
    t.is(Math.fround(Number(cells[w])), e.p, `row ${i} p`);
    t.is(cells[w + 1], e.invoke ? '1' : '0', `row ${i} invoked at ${T}`);
    if (e.invoke) {
      invoked++;
      for (let j = 0; j < w; j++) t.is(Math.fround(Number(cells[j])), e.y[j], `row ${i} y${j}`);
    }
  });
  return invoked;
}

test('axc sim --threshold: 0.5 gives the same CSV bytes as the compiled default; another T agrees with the interpreter at T', async (t) => {
  const dir = tempDir(t);
  // Compiled in-process (no compile spawns); only the simulations go through the CLI. Another T runs for
  // the softmax model only: the sigmoid side of retargeting is covered in-process above and in the
  // differential test, and every spawn costs the suite about half a second.
  const cases = [{ model: SOBEL, T: 0.55 }, { model: TINY, T: null }];
  const runs = cases.flatMap(({ model, T }) => {
    const bin = path.join(dir, `${model.name}.bin`);
    fs.writeFileSync(bin, packBinary(compileModel(model)));
    const sim = (extra: string[]) => runAxcAsync(['sim', bin, '--input', example(`${model.name}.x`), '--output', '-', '-q', ...extra]);
    return [sim([]), sim(['--threshold', '0.5']), ...(T === null ? [] : [sim(['--threshold', String(T)])])];
  });
  const [sobelPlain, sobelHalf, sobelOther, tinyPlain, tinyHalf] = await Promise.all(runs);
  for (const r of [sobelPlain, sobelHalf, sobelOther, tinyPlain, tinyHalf]) t.is(r.status, 0, r.stderr);
  t.true(sobelPlain.stdout.length > 0 && tinyPlain.stdout.length > 0);
  t.is(sobelHalf.stdout, sobelPlain.stdout, 'sobel (decm): --threshold 0.5 is the compiled default');
  t.is(tinyHalf.stdout, tinyPlain.stdout, 'tiny (decs): --threshold 0.5 is the compiled default');
  const atHalf = checkCsv(t, SOBEL, sobelPlain.stdout, 0.5);
  const atT = checkCsv(t, SOBEL, sobelOther.stdout, 0.55);
  t.true(atT < atHalf, `sobel: --threshold 0.55 invokes fewer samples (${atT}) than 0.5 (${atHalf})`);
});

test.serial('axc sim --threshold: bad values and a binary without a decision are usage errors (exit 2, one line)', async (t) => {
  const dir = tempDir(t);
  const sobel = path.join(dir, 'sobel.bin');
  fs.writeFileSync(sobel, packBinary(compileModel(SOBEL)));
  // tiny without its predictor: a plain approximator, always invoked, so it has no decs or decm.
  const plain = path.join(dir, 'plain.bin');
  fs.writeFileSync(plain, packBinary(compileModel({ ...TINY, predictor: null, approximator: TINY.approximator.map((l) => ({ ...l, control: null })) })));
  const args = (bin: string, value: string) => ['sim', bin, '--input', example('sobel.x'), '--output', path.join(dir, 'out.csv'), '--threshold', value];
  const oneLine = (r: { status: number | null; stdout: string; stderr: string }, code: string) => {
    t.is(r.status, 2, r.stderr);
    t.is(r.stdout, '');
    t.regex(r.stderr, new RegExp(`^error: [^\\n]+ \\[${code}\\]\\n$`), r.stderr);
  };
  // One through the real CLI (exit status of the process), the rest in-process through the same entry point.
  const spawned = runAxcAsync(args(sobel, 'abc'));
  const bad = ['abc', '0', '1', '1.5', '0x1'];
  for (const v of bad) {
    const r = await runAxcInProcess(args(sobel, v));
    oneLine(r, 'AXU711');
    t.true(r.stderr.includes(`--threshold '${v}'`), r.stderr);
    t.regex(r.stderr, /abc|0x1/.test(v) ? /is not a plain decimal number/ : /is not strictly between 0 and 1/);
  }
  const noDecision = await runAxcInProcess(args(plain, '0.5'));
  oneLine(noDecision, 'AXU712');
  t.regex(noDecision.stderr, /--threshold has nothing to change: .*plain\.bin' has no decision instruction/);
  const real = await spawned;
  oneLine(real, 'AXU711');
  t.is(real.stderr, (await runAxcInProcess(args(sobel, 'abc'))).stderr, 'the process prints what the entry point does');
  t.false(fs.existsSync(path.join(dir, 'out.csv')));
  // Signs, exponents and spaces are not plain decimals either.
  for (const v of ['-0.5', '1e3', ' 0.5', '0.5 ', '']) t.throws(() => parseThresholdOption(v), { instanceOf: AxcError }, `'${v}'`);
  t.is(parseThresholdOption('.25'), 0.25);
  // axc tune prints what it chose in JavaScript's shortest form, which can have an exponent.
  t.is(parseThresholdOption('1.6543107670886896e-18'), 1.6543107670886896e-18);
  t.is(parseThresholdOption('0.999'), 0.999);
});

test('axc sim --help says what T means for each decision kind', (t) => {
  // commander's own help text for the command, as `axc sim --help` prints it (no spawn).
  const help = simCommand().helpInformation().replace(/\s+/g, ' ');
  t.regex(help, /--threshold <T> .*a sigmoid decision \(decs\) invokes when P\(x\) > T; a softmax decision \(decm\) when the safe logit's probability exceeds T, compared in logit space/);
});
