// Semantic checks of an .axn AST and its lowering to the AxModel IR: declarations, names, widths, controls,
// decision and quality parameters, and weights (inline, file or seeded). Reports every independent error.

import {
  ACTIVATIONS,
  METRICS,
  type Activation,
  type ApproxLayer,
  type AxModel,
  type ControlSegment,
  type Decision,
  type DenseLayer,
  type Metric,
  type Predictor,
  type SourceLoc,
} from '../ir/model.ts';
import { BENCHMARK_CATALOG, findBenchmarkInfo } from '../benchmarks/catalog.ts';
import { isUsableThreshold } from '../ir/numerics.ts';
import { glorotUniform } from '../ir/seeded-init.ts';
import { SeededRandom } from '../ir/seeded-random.ts';
import { MAX_LAYER_WEIGHTS, MAX_LAYER_WIDTH } from '../arch/limits.ts';
import { DIAG } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type {
  ControlSegmentAst,
  DecisionAst,
  LayerAst,
  ModelAst,
  ModelItemAst,
  Name,
  NumLit,
  SplitAst,
  StrLit,
  WeightTable,
  WeightValue,
} from './ast.ts';
import { quote } from '../diagnostics/quote.ts';

/** Loads a `weights "FILE"` reference; supplied by parse-model.ts so this file stays free of I/O. */
export type WeightsFileLoader = (path: StrLit, statementLoc: SourceLoc) => { table: WeightTable | null; diagnostics: Diagnostic[] };

/** A layer whose shape is known and representable, so its weights can be checked and allocated. */
interface Shape {
  name: string;
  rows: number;
  cols: number;
}

function isActivation(s: string): s is Activation {
  return (ACTIVATIONS as readonly string[]).includes(s);
}

function isMetric(s: string): s is Metric {
  return (METRICS as readonly string[]).includes(s);
}

function before(a: SourceLoc, b: SourceLoc): number {
  return a.line - b.line || a.col - b.col;
}

export function checkModel(ast: ModelAst, file: string, loadWeightsFile: WeightsFileLoader): { model: AxModel | null; diagnostics: Diagnostic[] } {
  const ds: Diagnostic[] = [];
  const report = (d: Diagnostic) => ds.push(d);

  // ---- declarations: each at most once; input, output, approximator and weights required
  const single = <K extends ModelItemAst['kind']>(kind: K): Extract<ModelItemAst, { kind: K }> | null => {
    const all = ast.items.filter((i): i is Extract<ModelItemAst, { kind: K }> => i.kind === kind);
    for (const dup of all.slice(1)) report(diag(DIAG.duplicateDeclaration, dup.loc, kind));
    return all[0] ?? null;
  };
  const inputDecl = single('input');
  const outputDecl = single('output');
  const qualityDecl = single('quality');
  const benchmarkDecl = single('benchmark');
  const cpuDecl = single('cpu');
  const approxDecl = single('approximator');
  const predDecl = single('predictor');
  const weightsDecl = single('weights');
  if (!inputDecl) report(diag(DIAG.missingDeclaration, ast.loc, 'input'));
  if (!outputDecl) report(diag(DIAG.missingDeclaration, ast.loc, 'output'));
  if (!approxDecl) report(diag(DIAG.missingDeclaration, ast.loc, 'approximator'));
  if (!weightsDecl) report(diag(DIAG.weightsMissing, ast.loc));

  // ---- names are unique across the whole model (layers, splits, control segments)
  const splits = predDecl?.splits ?? [];
  const split: SplitAst | null = splits[0] ?? null;
  for (const dup of splits.slice(1)) report(diag(DIAG.duplicateDeclaration, dup.loc, 'split'));
  const allNames: Name[] = [];
  for (const l of approxDecl?.layers ?? []) allNames.push(l.name);
  for (const l of predDecl?.hidden ?? []) allNames.push(l.name);
  for (const s of splits) {
    allNames.push(s.name);
    for (const e of s.entries) if (e.kind === 'control') allNames.push(e.name);
  }
  allNames.sort((a, b) => before(a.loc, b.loc));
  const firstByName = new Map<string, Name>();
  for (const n of allNames) {
    const first = firstByName.get(n.name);
    if (first) report(diag(DIAG.duplicateName, n.loc, n.name, first.loc.line));
    else firstByName.set(n.name, n);
  }

  // ---- widths
  /** A positive integer ≤ MAX_LAYER_WIDTH, or null (reported). */
  const width = (what: string, n: NumLit): number | null => {
    if (!Number.isInteger(n.value) || n.value <= 0) {
      report(diag(DIAG.nonPositiveWidth, n.loc, what, n.value));
      return null;
    }
    if (n.value > MAX_LAYER_WIDTH) {
      report(diag(DIAG.widthTooLarge, n.loc, what, n.value, MAX_LAYER_WIDTH));
      return null;
    }
    return n.value;
  };
  /** Rows × cols within MAX_LAYER_WEIGHTS (reported at `loc` otherwise); checked before anything is allocated. */
  const weightCountOk = (name: string, rows: number, cols: number, loc: SourceLoc): boolean => {
    if (rows * cols > MAX_LAYER_WEIGHTS) {
      report(diag(DIAG.widthTooLarge, loc, `layer ${quote(name)} weight count (width × fan-in)`, rows * cols, MAX_LAYER_WEIGHTS));
      return false;
    }
    return true;
  };
  const activation = (n: Name): Activation | null => {
    if (isActivation(n.name)) return n.name;
    report(diag(DIAG.unknownActivation, n.loc, n.name));
    return null;
  };

  const inputWidth = inputDecl ? width('input width', inputDecl.width) : null;
  const outputWidth = outputDecl ? width('output width', outputDecl.width) : null;

  // ---- quality
  let metric: Metric | null = null;
  let bound: number | null = null;
  if (qualityDecl) {
    if (isMetric(qualityDecl.metric.name)) metric = qualityDecl.metric.name;
    else report(diag(DIAG.unknownMetric, qualityDecl.metric.loc, qualityDecl.metric.name));
    const b = qualityDecl.bound.value;
    if (Number.isFinite(b) && b > 0) bound = b;
    else report(diag(DIAG.badBound, qualityDecl.bound.loc, b));
  }

  // ---- the CPU fallback: which exact function, and what one evaluation costs
  if (benchmarkDecl) {
    const b = findBenchmarkInfo(benchmarkDecl.name.name);
    if (!b) report(diag(DIAG.unknownBenchmark, benchmarkDecl.name.loc, benchmarkDecl.name.name, BENCHMARK_CATALOG.map((x) => x.name).join(', ')));
    else if (inputWidth !== null && outputWidth !== null && (b.inputWidth !== inputWidth || b.outputWidth !== outputWidth))
      report(diag(DIAG.benchmarkWidth, benchmarkDecl.name.loc, b.name, b.inputWidth, b.outputWidth, inputWidth, outputWidth));
  }
  if (cpuDecl) {
    const c = cpuDecl.cycles.value;
    if (!Number.isInteger(c) || c < 1 || c > 1e9) report(diag(DIAG.badCpuCycles, cpuDecl.cycles.loc, c));
  }

  /** Checks a chain of dense layers starting from `inW`; returns their widths (null where invalid) and shapes. */
  interface Checked {
    ast: LayerAst;
    width: number | null;
    activation: Activation | null;
    shape: Shape | null;
  }
  const chain = (layers: LayerAst[], inW: number | null): { checked: Checked[]; outW: number | null } => {
    const checked: Checked[] = [];
    let prev = inW;
    for (const l of layers) {
      const act = activation(l.activation);
      const w = width(`layer ${quote(l.name.name)} width`, l.width);
      let shape: Shape | null = null;
      if (w !== null && prev !== null && weightCountOk(l.name.name, w, prev, l.width.loc)) shape = { name: l.name.name, rows: w, cols: prev };
      checked.push({ ast: l, width: w, activation: act, shape });
      prev = w;
    }
    return { checked, outW: prev };
  };

  // ---- approximator
  const approx = chain(approxDecl?.layers ?? [], inputWidth).checked;
  if (approxDecl && approxDecl.layers.length === 0) report(diag(DIAG.emptySubnet, approxDecl.loc, 'approximator'));
  const outLayer = approx[approx.length - 1];
  if (outLayer) {
    if (outLayer.ast.control) report(diag(DIAG.controlledOutputLayer, outLayer.ast.control.keywordLoc, outLayer.ast.name.name));
    if (outLayer.width !== null && outputWidth !== null && outLayer.width !== outputWidth)
      report(diag(DIAG.outputWidthMismatch, outLayer.ast.width.loc, outLayer.ast.name.name, outLayer.width, outputWidth));
  }

  // ---- predictor
  const hidden = chain(predDecl?.hidden ?? [], inputWidth);
  for (const h of hidden.checked) if (h.ast.control) report(diag(DIAG.controlInPredictor, h.ast.control.keywordLoc, h.ast.name.name));
  if (predDecl && !split) report(diag(DIAG.missingSplit, predDecl.loc));

  interface CheckedSegment {
    ast: ControlSegmentAst;
    width: number | null;
    activation: Activation | null;
  }
  const segments: CheckedSegment[] = [];
  let decision: Decision | null = null;
  let splitShape: Shape | null = null;
  if (split) {
    const decisions = split.entries.filter((e): e is DecisionAst => e.kind === 'decision');
    if (decisions.length === 0) report(diag(DIAG.missingDecision, split.name.loc, split.name.name));
    for (const dup of decisions.slice(1)) report(diag(DIAG.duplicateDeclaration, dup.loc, 'decision'));
    if (decisions.length === 1 && split.entries[split.entries.length - 1] !== decisions[0]) {
      const last = split.entries[split.entries.length - 1] as ControlSegmentAst;
      report(diag(DIAG.decisionNotLast, decisions[0].loc, split.name.name, last.name.name));
    }
    for (const e of split.entries) {
      if (e.kind === 'control') segments.push({ ast: e, width: width(`control ${quote(e.name.name)} width`, e.width), activation: activation(e.activation) });
    }
    if (decisions[0]) decision = checkDecision(decisions[0], report);
    const total = segments.reduce<number | null>((acc, s) => (acc === null || s.width === null ? null : acc + s.width), decision ? (decision.kind === 'sigmoid' ? 1 : 2) : null);
    const inW = hidden.outW;
    if (total !== null && inW !== null) {
      if (total > MAX_LAYER_WIDTH) report(diag(DIAG.widthTooLarge, split.name.loc, `split ${quote(split.name.name)} width`, total, MAX_LAYER_WIDTH));
      else if (weightCountOk(split.name.name, total, inW, split.name.loc)) splitShape = { name: split.name.name, rows: total, cols: inW };
    }
  }

  // ---- controls: each approximator hidden layer's control names one unused segment of matching width
  const segByName = new Map(segments.map((s) => [s.ast.name.name, s] as const));
  const usedBy = new Map<string, string>();
  approx.forEach((l, i) => {
    const c = l.ast.control;
    if (!c || i === approx.length - 1) return;
    const seg = segByName.get(c.name);
    if (!seg) return void report(diag(DIAG.undefinedControl, c.loc, c.name));
    const first = usedBy.get(c.name);
    if (first !== undefined) return void report(diag(DIAG.controlUsedTwice, c.loc, c.name, first));
    usedBy.set(c.name, l.ast.name.name);
    if (seg.width !== null && l.width !== null && seg.width !== l.width)
      report(diag(DIAG.controlWidthMismatch, c.loc, c.name, seg.width, l.ast.name.name, l.width));
  });
  for (const s of segments) {
    // A segment "used" only by the (invalid) controlled output layer is not reported again as unused.
    const byOutput = outLayer?.ast.control?.name === s.ast.name.name;
    if (!usedBy.has(s.ast.name.name) && !byOutput) report(diag(DIAG.unusedControl, s.ast.name.loc, s.ast.name.name));
  }

  // ---- weights
  // Fixed order (also the seeded-initialisation order): approximator layers, predictor hidden layers, split.
  const shapes: (Shape | null)[] = [...approx.map((l) => l.shape), ...hidden.checked.map((l) => l.shape)];
  if (split) shapes.push(splitShape);
  const values = new Map<string, { weights: Float32Array; bias: Float32Array }>();
  let seed: number | null = null;
  if (weightsDecl) {
    const src = weightsDecl.source;
    let table: WeightTable | null = null;
    if (src.kind === 'seed') {
      const s = src.seed.value;
      if (Number.isInteger(s) && s >= 0 && s <= 0xffffffff) seed = s;
      else report(diag(DIAG.badWeightsSeed, src.seed.loc, src.seed.text));
    } else if (src.kind === 'file') {
      const r = loadWeightsFile(src.path, weightsDecl.loc);
      ds.push(...r.diagnostics);
      table = r.table;
    } else {
      table = { layers: new Map(), loc: weightsDecl.loc };
      for (const e of src.entries) {
        const f = e.field.name;
        if (f !== 'w' && f !== 'b') {
          report(diag(DIAG.unknownWeightField, e.field.loc, f, e.layer.name));
          continue;
        }
        let entry = table.layers.get(e.layer.name);
        if (!entry) table.layers.set(e.layer.name, (entry = { name: e.layer }));
        if (entry[f]) report(diag(DIAG.duplicateDeclaration, e.layer.loc, `${e.layer.name}.${f}`));
        else entry[f] = e.value;
      }
    }
    if (table) {
      const known = new Set([...approx.map((l) => l.ast.name.name), ...hidden.checked.map((l) => l.ast.name.name)]);
      if (split) known.add(split.name.name);
      for (const [name, entry] of table.layers) if (!known.has(name)) report(diag(DIAG.unknownWeightLayer, entry.name.loc, name));
      for (const shape of shapes) {
        if (!shape) continue;
        const entry = table.layers.get(shape.name);
        if (!entry?.w) report(diag(DIAG.missingWeights, entry?.name.loc ?? table.loc, shape.name, "weights ('w')"));
        if (!entry?.b) report(diag(DIAG.missingWeights, entry?.name.loc ?? table.loc, shape.name, "bias ('b')"));
        const weights = entry?.w ? matrix(entry.w, shape, report) : null;
        const bias = entry?.b ? vector(entry.b, shape, report) : null;
        if (weights && bias) values.set(shape.name, { weights, bias });
      }
    }
  }

  if (ds.length > 0) return { model: null, diagnostics: ds };

  // ---- no errors: build the IR (every value above is known to be valid)
  if (seed !== null) {
    const rng = new SeededRandom(seed);
    for (const s of shapes) values.set(s!.name, glorotUniform(rng, s!.rows, s!.cols));
  }
  const dense = (l: Checked): DenseLayer => {
    const v = values.get(l.ast.name.name)!;
    return { name: l.ast.name.name, inWidth: l.shape!.cols, width: l.width!, activation: l.activation!, weights: v.weights, bias: v.bias, loc: l.ast.name.loc };
  };
  const approximator: ApproxLayer[] = approx.map((l) => ({ ...dense(l), control: l.ast.control?.name ?? null }));
  let predictor: Predictor | null = null;
  if (predDecl && split) {
    const v = values.get(split.name.name)!;
    const segs: ControlSegment[] = segments.map((s) => ({ name: s.ast.name.name, width: s.width!, activation: s.activation!, loc: s.ast.name.loc }));
    predictor = {
      hidden: hidden.checked.map(dense),
      output: { name: split.name.name, inWidth: splitShape!.cols, segments: segs, decision: decision!, weights: v.weights, bias: v.bias, loc: split.name.loc },
    };
  }
  const model: AxModel = {
    name: ast.name.name,
    inputWidth: inputWidth!,
    outputWidth: outputWidth!,
    approximator,
    predictor,
    quality: qualityDecl ? { metric: metric!, bound: bound! } : null,
    ...(benchmarkDecl ? { benchmark: benchmarkDecl.name.name } : {}),
    ...(cpuDecl ? { cpuCycles: cpuDecl.cycles.value } : {}),
    sourceFile: file,
    loc: ast.loc,
  };
  return { model, diagnostics: [] };
}

function checkDecision(d: DecisionAst, report: (d: Diagnostic) => void): Decision | null {
  const kind = d.fn.name;
  if (kind !== 'sigmoid' && kind !== 'softmax') {
    report(diag(DIAG.unknownDecision, d.fn.loc, kind));
    return null;
  }
  const argNames = kind === 'sigmoid' ? ['threshold'] : ['safe', 'threshold'];
  const values = new Map<string, NumLit>();
  for (const a of d.args) {
    if (!argNames.includes(a.name.name)) {
      report(diag(DIAG.unknownDecisionArgument, a.name.loc, kind, a.name.name, argNames));
    } else if (values.has(a.name.name)) {
      report(diag(DIAG.duplicateDeclaration, a.name.loc, a.name.name));
    } else values.set(a.name.name, a.value);
  }
  const tv = values.get('threshold');
  const t = tv ? tv.value : 0.5;
  const thresholdOk = isUsableThreshold(t);
  if (!thresholdOk) report(diag(DIAG.badThreshold, tv!.loc, t));
  if (kind === 'sigmoid') return thresholdOk ? { kind: 'sigmoid', threshold: t, loc: d.loc } : null;
  const sv = values.get('safe');
  const i = sv ? sv.value : 1;
  if (i !== 0 && i !== 1) {
    report(diag(DIAG.badSafeIndex, sv!.loc, i));
    return null;
  }
  return thresholdOk ? { kind: 'softmax', safeIndex: i, threshold: t, loc: d.loc } : null;
}

/** Rounds a literal to float32, reporting values that overflow to ±Infinity or are NaN. */
function f32(v: Extract<WeightValue, { kind: 'num' }>, report: (d: Diagnostic) => void): number | null {
  const f = Math.fround(v.value);
  if (Number.isFinite(f)) return f;
  report(diag(DIAG.weightNotFloat32, v.loc, v.text));
  return null;
}

/** Fills `out` from a flat list of numbers; false if any value was reported. */
function fill(items: WeightValue[], out: Float32Array, offset: number, report: (d: Diagnostic) => void): boolean {
  let ok = true;
  items.forEach((it, i) => {
    const f = it.kind === 'num' ? f32(it, report) : null;
    if (f === null) ok = false;
    else out[offset + i] = f;
  });
  return ok;
}

function shapeOf(v: WeightValue): string {
  if (v.kind === 'num') return 'a single number';
  if (v.items.every((i) => i.kind === 'num')) return `[${v.items.length}]`;
  if (v.items.every((i) => i.kind === 'list')) return `[${v.items.length}][...]`;
  return 'a mix of numbers and lists';
}

/** A [rows][cols] weight matrix, given nested (one list per row) or flat (row-major). */
function matrix(v: WeightValue, s: Shape, report: (d: Diagnostic) => void): Float32Array | null {
  const expected = `[${s.rows}][${s.cols}]`;
  if (v.kind !== 'list') {
    report(diag(DIAG.weightShape, v.loc, s.name, 'weights', expected, shapeOf(v)));
    return null;
  }
  if (v.items.every((i) => i.kind === 'num')) {
    if (v.items.length !== s.rows * s.cols) {
      report(diag(DIAG.weightCount, v.loc, s.name, 'weights', s.rows * s.cols, v.items.length));
      return null;
    }
    const out = new Float32Array(s.rows * s.cols);
    return fill(v.items, out, 0, report) ? out : null;
  }
  const rows = v.items;
  const bad = rows.find((r) => r.kind !== 'list');
  if (bad) {
    report(diag(DIAG.weightShape, bad.loc, s.name, 'weights', expected, 'a mix of numbers and lists'));
    return null;
  }
  if (rows.length !== s.rows) {
    report(diag(DIAG.weightShape, v.loc, s.name, 'weights', expected, `[${rows.length}][...]`));
    return null;
  }
  let ok = true;
  const out = new Float32Array(s.rows * s.cols);
  rows.forEach((r, i) => {
    if (r.kind !== 'list') return;
    if (r.items.length !== s.cols || !r.items.every((x) => x.kind === 'num')) {
      report(diag(DIAG.weightShape, r.loc, s.name, `weights[${i}]`, `[${s.cols}]`, shapeOf(r)));
      ok = false;
    } else if (!fill(r.items, out, i * s.cols, report)) ok = false;
  });
  return ok ? out : null;
}

function vector(v: WeightValue, s: Shape, report: (d: Diagnostic) => void): Float32Array | null {
  if (v.kind !== 'list' || !v.items.every((i) => i.kind === 'num')) {
    report(diag(DIAG.weightShape, v.loc, s.name, 'bias', `[${s.rows}]`, shapeOf(v)));
    return null;
  }
  if (v.items.length !== s.rows) {
    report(diag(DIAG.weightCount, v.loc, s.name, 'bias', s.rows, v.items.length));
    return null;
  }
  const out = new Float32Array(s.rows);
  return fill(v.items, out, 0, report) ? out : null;
}
