// Prints an AxModel IR back as readable .axn source. With inline weights (the default) the text parses back
// to exactly the same IR: float32 values are printed as the shortest decimal that rounds back to them.

import type { AxModel, Decision, DenseLayer } from '../ir/model.ts';
import { float32Text, float64Text } from '../ir/float-text.ts';

export interface PrintOptions {
  /** Print the weights as an inline `weights { }` block (default true). */
  inlineWeights?: boolean;
  /** When inlineWeights is false: the file named by `weights "FILE"` (default `<model name>.weights.json`). */
  weightsFile?: string;
}

function layerLine(l: DenseLayer, control: string | null): string {
  return `    ${l.name} = dense(${l.width}, ${l.activation})${control ? ` controlled by ${control}` : ''}`;
}

function decisionText(d: Decision): string {
  if (d.kind === 'sigmoid') return `sigmoid(threshold: ${float64Text(d.threshold)})`;
  // The default threshold is left out, so models that never set one print as they always have.
  return d.threshold === 0.5 ? `softmax(safe: ${d.safeIndex})` : `softmax(safe: ${d.safeIndex}, threshold: ${float64Text(d.threshold)})`;
}

function matrixText(name: string, w: Float32Array, rows: number, cols: number): string {
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < cols; c++) row.push(float32Text(w[r * cols + c]));
    lines.push(`      [${row.join(', ')}]`);
  }
  return `    ${name}.w = [\n${lines.join(',\n')}\n    ]`;
}

function biasText(name: string, b: Float32Array): string {
  return `    ${name}.b = [${Array.from(b, float32Text).join(', ')}]`;
}

export function printModel(model: AxModel, opts: PrintOptions = {}): string {
  const inline = opts.inlineWeights ?? true;
  const out: string[] = [];
  out.push(`model ${model.name} {`);
  out.push(`  input ${model.inputWidth}`);
  out.push(`  output ${model.outputWidth}`);
  if (model.quality) out.push(`  quality ${model.quality.metric} < ${float64Text(model.quality.bound)}`);
  if (model.benchmark) out.push(`  benchmark ${model.benchmark}`);
  if (model.cpuCycles !== undefined) out.push(`  cpu ${model.cpuCycles} cycles`);
  out.push('');
  out.push('  approximator {');
  for (const l of model.approximator) out.push(layerLine(l, l.control));
  out.push('  }');
  if (model.predictor) {
    const p = model.predictor;
    out.push('');
    out.push('  predictor {');
    for (const l of p.hidden) out.push(layerLine(l, null));
    out.push(`    split ${p.output.name} {`);
    for (const s of p.output.segments) out.push(`      ${s.name} = control(${s.width}, ${s.activation})`);
    out.push(`      decision = ${decisionText(p.output.decision)}`);
    out.push('    }');
    out.push('  }');
  }
  out.push('');
  if (!inline) {
    out.push(`  weights ${JSON.stringify(opts.weightsFile ?? `${model.name}.weights.json`)}`);
  } else {
    out.push('  weights {');
    const layers: { name: string; w: Float32Array; b: Float32Array; cols: number }[] = [];
    for (const l of model.approximator) layers.push({ name: l.name, w: l.weights, b: l.bias, cols: l.inWidth });
    if (model.predictor) {
      for (const l of model.predictor.hidden) layers.push({ name: l.name, w: l.weights, b: l.bias, cols: l.inWidth });
      const o = model.predictor.output;
      layers.push({ name: o.name, w: o.weights, b: o.bias, cols: o.inWidth });
    }
    for (const l of layers) {
      out.push(matrixText(l.name, l.w, l.b.length, l.cols));
      out.push(biasText(l.name, l.b));
    }
    out.push('  }');
  }
  out.push('}');
  return out.join('\n') + '\n';
}
