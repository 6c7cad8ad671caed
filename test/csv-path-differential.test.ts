// The sim file path's fast text code against the definitions it replaced, kept here as reference
// implementations: float32Text and its byte form writeFloat32Text against trying 1..9 significant digits in
// turn, the chunk-scanning sample reader against node:readline plus the DECIMAL_NUMBER regex — the same
// samples bit for bit, or the same diagnostic (code, file:line:col, message) — on random lines split into
// chunks at random places, and the CSV a file gets (rows written as bytes into the sink's batches) against
// rows built as strings.

import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, diag, fail } from '../diagnostics/diagnostic.ts';
import { DECIMAL_NUMBER, float32Text } from '../ir/float-text.ts';
import { NUMBER_TEXT_MAX, writeFloat32Text, writeFloat64Text } from '../ir/float-ascii.ts';
import { LineParser } from '../simulator/read-samples.ts';
import { findBenchmark } from '../benchmarks/registry.ts';
import { compileModel } from '../compiler/pipeline.ts';
import { loadModelFile } from '../frontend/parse-model.ts';
import { Simulator } from '../machine/simulator.ts';
import { csvRowSink } from '../simulator/csv-sink.ts';
import { csvHeader, runSimulation } from '../simulator/run-simulation.ts';
import { SeededRandom } from '../ir/seeded-random.ts';

// ---- reference implementations (the code before the fast path) ----

function float32TextReference(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (!Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return Number(s).toString();
  }
  return v.toString();
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13;
function parseSampleLineReference(line: string, lineNo: number, file: string, out: Float32Array): number {
  let n = 0;
  let pos = 0;
  const at = (p: number) => ({ file, line: lineNo, col: p + 1 });
  const skipSpace = () => {
    while (pos < line.length && isSpace(line.charCodeAt(pos))) pos++;
  };
  skipSpace();
  while (pos < line.length) {
    if (line.charCodeAt(pos) === 44) fail(DIAG.inputEmptyValue, at(pos));
    const start = pos;
    while (pos < line.length && !isSpace(line.charCodeAt(pos)) && line.charCodeAt(pos) !== 44) pos++;
    const tok = line.slice(start, pos);
    if (!DECIMAL_NUMBER.test(tok)) fail(DIAG.inputNumber, at(start), tok);
    const v = Math.fround(Number(tok));
    if (!Number.isFinite(v)) fail(DIAG.inputRange, at(start), tok);
    if (n < out.length) out[n] = v;
    n++;
    skipSpace();
    if (pos < line.length && line.charCodeAt(pos) === 44) {
      pos++;
      skipSpace();
      if (pos >= line.length) fail(DIAG.inputEmptyValue, at(pos));
    }
  }
  return n;
}

type Outcome = { samples: string[]; lines: number; bytes: number; error?: string };
const bits = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length), (b) => b.toString(16)).join(' ');
const describe = (e: unknown) => {
  if (!(e instanceof AxcError)) throw e;
  return JSON.stringify(e.diagnostics.map((d) => [d.code, d.loc, d.message]));
};

async function readReference(chunks: string[], width: number): Promise<Outcome> {
  const out: Outcome = { samples: [], lines: 0, bytes: 0 };
  const x = new Float32Array(width);
  const lines = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      out.lines++;
      out.bytes += line.length + 1;
      const t = line.trimStart();
      if (t === '' || t.startsWith('#')) continue;
      const n = parseSampleLineReference(line, out.lines, 'in.x', x);
      if (n !== width) throw new AxcError(diag(DIAG.inputWidth, { file: 'in.x', line: out.lines, col: 1 }, n, width));
      out.samples.push(bits(x));
    }
  } catch (e) {
    out.error = describe(e);
  } finally {
    lines.close();
  }
  return out;
}

function readFast(chunks: string[], width: number): Outcome {
  const cursor = { bytes: 0, line: 0 };
  const parser = new LineParser(width, 'in.x', cursor, 'input');
  const out: Outcome = { samples: [], lines: 0, bytes: 0 };
  try {
    for (const c of chunks) {
      parser.feed(c);
      while (parser.next()) out.samples.push(bits(parser.x));
    }
    if (parser.finish()) out.samples.push(bits(parser.x));
  } catch (e) {
    out.error = describe(e);
  }
  out.lines = parser.lineNo;
  out.bytes = cursor.bytes;
  return out;
}

// ---- float32Text and writeFloat32Text (its bytes, for the CSV file path) ----

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number) => {
  u32[0] = b;
  return f32[0];
};

// writeFloat32Text writes after a marker byte that must survive, into a buffer otherwise garbage: it returns
// the right end, touches nothing before pos and stays within NUMBER_TEXT_MAX.
const buf = new Uint8Array(64);
function written(v: number): string {
  buf.fill(0xff);
  buf[4] = 0x7e;
  const end = writeFloat32Text(buf, 5, v);
  if (buf[4] !== 0x7e) throw new Error(`wrote before pos for ${v}`);
  if (end - 5 > NUMBER_TEXT_MAX) throw new Error(`${v} took ${end - 5} bytes`);
  return String.fromCharCode(...buf.subarray(5, end));
}

/** written(v) === s, without making a string (for the two million below). */
function writes(v: number, s: string): boolean {
  const end = writeFloat32Text(buf, 0, v);
  if (end !== s.length) return false;
  for (let i = 0; i < end; i++) if (buf[i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Both the string and the bytes are the definition's text. */
const bothDefine = (v: number) => {
  const want = float32TextReference(v);
  return float32Text(v) === want && written(v) === want;
};

test('float32Text and writeFloat32Text equal the digit-counting definition on random float32 bit patterns', (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), (b) => bothDefine(fromBits(b))),
    { seed: 20261130, numRuns: 20_000 },
  );
  // The exactly scaled range (1e-4 <= |v| < 1e9), where values mostly live: exponents 110..160.
  fc.assert(
    fc.property(fc.integer({ min: 110, max: 160 }), fc.integer({ min: 0, max: 0x7fffff }), fc.boolean(), (e, m, neg) => bothDefine(fromBits(((neg ? 0x80000000 : 0) | (e << 23) | m) >>> 0))),
    { seed: 20261130, numRuns: 20_000 },
  );
  t.pass();
});

test('writeFloat32Text writes float32Text(v) on two million random float32 bit patterns', (t) => {
  // A seeded xorshift: the same patterns every run, many more than fast-check runs cheaply. Half over all
  // bit patterns, half with exponents 110..160.
  let s = 20261130;
  let bad = 0;
  for (let i = 0; i < 2_000_000; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const b = i & 1 ? s >>> 0 : ((s & 0x807fffff) | ((110 + ((s >>> 23) % 51)) << 23)) >>> 0;
    const v = fromBits(b);
    if (!writes(v, float32Text(v)) && bad++ < 5) t.fail(`bits ${b.toString(16)}: ${written(v)} vs ${float32Text(v)}`);
  }
  t.is(bad, 0);
});

test('float32Text and writeFloat32Text equal the definition on edge cases: zeros, subnormals, powers of two and ten, extremes, short decimals and their neighbours', (t) => {
  const values = [0, -0, Infinity, -Infinity, NaN, 3.4028234663852886e38, -3.4028234663852886e38, 1.401298464324817e-45, 1.1754943508222875e-38, 1e-4, 1e9, 0.1, 1 / 3];
  for (let e = 0; e < 255; e++) for (const m of [0, 1, 2, 3, 0x3fffff, 0x400000, 0x400001, 0x7ffffe, 0x7fffff]) values.push(fromBits((e << 23) | m), -fromBits((e << 23) | m));
  // Every power of ten a float32 reaches and its neighbours: where the digit count and Number::toString's
  // layout change (to exponent form at 1e21 and below 1e-6).
  for (let k = -45; k <= 38; k++)
    for (const d of [-2, -1, 0, 1, 2]) {
      f32[0] = Number(`1e${k}`);
      u32[0] += d;
      values.push(f32[0], -f32[0], f32[0] * 9.999999);
    }
  for (let j = 0; j <= 12; j++)
    for (let k = 1; k < 2000; k += 13)
      for (const d of [-1, 0, 1]) {
        f32[0] = k / 10 ** j;
        u32[0] += d;
        values.push(f32[0]);
      }
  for (const v of values) if (!bothDefine(Math.fround(v))) t.fail(`${v}: ${float32Text(Math.fround(v))} and ${written(Math.fround(v))} vs ${float32TextReference(Math.fround(v))}`);
  // Not float32 values: still the definition's answer.
  for (const v of [0.1 + 0.2, Math.PI, 1e300, 5e-324]) t.is(float32Text(v), float32TextReference(v));
  t.pass();
});

test('writeFloat64Text writes String(v) on millions of random doubles, float32 values and short dyadic decimals among them', (t) => {
  const f64 = new Float64Array(1);
  const w64 = new Uint32Array(f64.buffer);
  const out = new Uint8Array(64);
  const check = (v: number) => {
    const s = String(v);
    const end = writeFloat64Text(out, 3, v);
    if (end - 3 !== s.length || end - 3 > NUMBER_TEXT_MAX) return false;
    for (let i = 0; i < s.length; i++) if (out[3 + i] !== s.charCodeAt(i)) return false;
    return true;
  };
  let s = 20261130;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  let bad = 0;
  for (let i = 0; i < 2_000_000; i++) {
    // Random bit patterns (every kind of double, String's way), float32 values of every kind, float32
    // values where the digits are computed (2^-13 <= |v| < 2^24: what the exact functions mostly return),
    // and short dyadic decimals (few digits, ties between two roundings).
    const kind = i % 4;
    if (kind === 0) {
      w64[0] = next();
      w64[1] = next();
    } else if (kind === 1) f64[0] = fromBits(next());
    else if (kind === 2) f64[0] = fromBits(((next() & 0x807fffff) | ((114 + (next() % 37)) << 23)) >>> 0);
    else f64[0] = ((next() % 20001) - 10000) / 2 ** (next() % 40);
    const v = f64[0];
    if (!check(v) && bad++ < 5) t.fail(`${v}: wrote ${String.fromCharCode(...out.subarray(3, writeFloat64Text(out, 3, v)))}`);
  }
  // Edges: zeros, NaN, infinities, subnormals, extremes, powers of ten and of two and their neighbours
  // (where String changes layout: 1e21, 1e-7), as doubles and as float32 values.
  const edges = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE, 0.1 + 0.2, 0.705, 2 ** -13, 2 ** 24];
  for (let k = -323; k <= 308; k++) {
    const p = Number(`1e${k}`);
    edges.push(p, -p, p * (1 + Number.EPSILON), p * (1 - Number.EPSILON / 2), Math.fround(p), Math.fround(p * (1 + 2 ** -23)), Math.fround(p * (1 - 2 ** -24)));
  }
  for (let k = -150; k <= 130; k++) edges.push(2 ** k, -(2 ** k), 2 ** k * (1 + 2 ** -23), 2 ** k * (1 - 2 ** -24), 2 ** k * 3, 2 ** k * 5);
  for (const v of edges) if (!check(v)) t.fail(`${v}`);
  t.is(bad, 0);
});

// ---- the sample reader ----

const validNumber = fc.oneof(
  fc.float({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  fc.tuple(fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{0,20}$/), fc.constantFrom('', '.'), fc.stringMatching(/^\d{0,20}$/), fc.constantFrom('', 'e', 'E', 'e-', 'e+'), fc.stringMatching(/^\d{0,3}$/)).map((p) => p.join('')),
  fc.constantFrom('0', '-0', '0.0', '.5', '5.', '1e38', '3.4028235e38', '3.4028236e38', '1e39', '-1e39', '1e-46', '7e-46', '0.591562509537', '1e400', '1e-400', '0e99999999'),
);
const badToken = fc.constantFrom('.', '+', '-', 'e5', '1e', '1e+', '0x10', '1..2', '1e5.5', 'Infinity', 'NaN', 'abc', '1_000', '٣', '1\u00a0', '#', '1#');
const separator = fc.constantFrom(' ', '\t', ',', ', ', ' ,', ' , ', '  ', '\t,\t', ',,', '\r');
const lineEnd = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\r\n');
const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom('', ' ', '\t', '\u00a0', '\ufeff', '\u000b'), fc.array(fc.oneof({ weight: 12, arbitrary: validNumber }, { weight: 1, arbitrary: badToken }), { minLength: 0, maxLength: 5 }), fc.array(separator, { minLength: 5, maxLength: 5 }), fc.constantFrom('', ' ', ',', '\t')).map(([lead, toks, seps, tail]) => lead + toks.map((tok, i) => (i ? seps[i] : '') + tok).join('') + tail) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '# comment 1,2', '  #x', '\u00a0#c', '\u00a0', '\ufeff1 2', '\u3000 ') },
);
const fileText = fc.tuple(fc.array(fc.tuple(line, lineEnd), { minLength: 0, maxLength: 12 }), fc.boolean()).map(([ls, endLast]) => {
  const text = ls.map(([l, e]) => l + e).join('');
  return endLast || ls.length === 0 ? text : text.slice(0, text.length - ls[ls.length - 1][1].length);
});
/** The text split into chunks at random places (possibly between \r and \n, never inside a surrogate pair: none are generated). */
const chunked = fc.tuple(fileText, fc.array(fc.nat(), { maxLength: 6 })).map(([text, cuts]) => {
  const at = [...new Set(cuts.map((c) => (text.length ? c % (text.length + 1) : 0)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let prev = 0;
  for (const c of [...at, text.length]) {
    if (c > prev) chunks.push(text.slice(prev, c));
    prev = c;
  }
  return chunks;
});

test('the chunk-scanning reader reads exactly as readline plus the regex did: samples bit for bit, lines, cursor and every diagnostic', async (t) => {
  await fc.assert(
    fc.asyncProperty(chunked, fc.integer({ min: 1, max: 4 }), async (chunks, width) => {
      const want = await readReference(chunks, width);
      const got = readFast(chunks, width);
      // The old reader stops at an error; where it stopped, the line and cursor counts are its own.
      if (want.error !== undefined) {
        t.deepEqual({ samples: got.samples, error: got.error }, { samples: want.samples, error: want.error }, JSON.stringify(chunks));
        return got.error === want.error;
      }
      t.deepEqual(got, want, JSON.stringify(chunks));
      return JSON.stringify(got) === JSON.stringify(want);
    }),
    { seed: 20261130, numRuns: 1500 },
  );
});

// ---- the CSV ----

/** The rows as runSimulation built them before they went to bytes: a string per row, from the definitions. */
function csvReference(bin: ReturnType<typeof compileModel>, xs: Float32Array[]): string {
  const sim = new Simulator(bin);
  const exact = bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined;
  const exactY = new Float64Array(sim.outputWidth);
  let csv = csvHeader(sim.outputWidth);
  for (const x of xs) {
    const r = sim.runSample(x);
    let row = '';
    if (r.invoked) for (let j = 0; j < r.y.length; j++) row += float32TextReference(r.y[j]) + ',';
    else if (exact && r.fallback) {
      exact.exact(x, exactY);
      for (let j = 0; j < exactY.length; j++) row += `${exactY[j]},`;
    } else row = ','.repeat(sim.outputWidth);
    csv += `${row}${float32TextReference(r.p)},${r.invoked ? 1 : 0}\n`;
  }
  return csv;
}

test('the CSV a file gets, rows written as bytes into batches of any size, is the rows built as strings from the definitions', async (t) => {
  for (const name of ['sobel', 'jpeg', 'inversek2j', 'tiny', 'single-control']) {
    const { model } = loadModelFile(`examples/${name}.axn`);
    const bin = compileModel(model!);
    const rng = new SeededRandom(11);
    // The example's samples, then random ones on a wider range: both NPU and CPU rows, odd values.
    const xs = readFileSync(`examples/${name}.x`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => Float32Array.from(l.trim().split(/\s+/), Number));
    for (let i = 0; i < 300; i++) xs.push(Float32Array.from({ length: model!.inputWidth }, () => rng.uniform(-2, 2) * 10 ** Math.floor(rng.uniform(-8, 8))));
    const want = csvReference(bin, xs);
    for (const batch of [1, 97, 1 << 16]) {
      const chunks: Buffer[] = [];
      const sink = csvRowSink((chunk) => void chunks.push(Buffer.from(chunk)), batch);
      await runSimulation(bin, xs, { onRow: sink.onRow, exact: bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined });
      await sink.flush();
      t.is(Buffer.concat(chunks).toString('latin1'), want, `${name}, batches of ${batch} bytes`);
    }
    // Row by row as strings (stdout's way): the same text.
    const rows: string[] = [];
    await runSimulation(bin, xs, { onRow: (row) => void rows.push(row), exact: bin.meta.benchmark ? findBenchmark(bin.meta.benchmark) : undefined });
    t.is(rows.join(''), want, `${name}, row by row`);
    t.true(want.includes(',1\n') && (!bin.meta.benchmark || want.includes(',0\n')), `${name}: NPU and CPU rows both`);
  }
});
