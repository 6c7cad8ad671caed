// A sweep's spec (`axc sweep spec.yaml`): its schema, and reading it from YAML or JSON with every problem
// reported at file:line:col of the value at fault.

import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { DIAG } from '../diagnostics/catalog.ts';
import { quote } from '../diagnostics/quote.ts';
import { AxcError, describeFsError, diag, fail, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { HardwareSchema, type Hardware, DEFAULT_HARDWARE } from '../hardware/description.ts';
import { hardwareFieldPaths } from '../hardware/hardware-doc.ts';
import { parseHardware } from '../hardware/load-hardware.ts';
import { NUMERIC_REPORT_FIELDS } from './report-fields.ts';

/** Axes that are compile or run options rather than hardware fields. */
export const OPTION_AXES = ['schedule', 'batch', 'threshold'] as const;
export type OptionAxis = (typeof OPTION_AXES)[number];

const axisValue = z.union([z.number(), z.string(), z.boolean(), z.record(z.string(), z.unknown())], { error: 'an axis value is a number, a string, true/false or an object' });

export const SweepSpecSchema = z
  .object({
    models: z
      .array(
        z
          .object({
            model: z.string({ error: 'model names a model file (.axn or a tfjs model.json)' }).min(1),
            input: z.string({ error: 'input names a sample file' }).min(1),
            reference: z.string({ error: "reference is a .y file or 'exact'" }).min(1).optional(),
          })
          .strict(),
        { error: 'models is a list of { model, input, reference? }' },
      )
      .min(1, 'models lists at least one model'),
    hardware: z.string({ error: 'hardware names a hardware description file' }).min(1).optional(),
    axes: z.record(z.string(), z.array(axisValue, { error: 'an axis is a list of values' }).min(1, 'an axis lists at least one value'), { error: 'axes maps field names to lists of values' }).default({}),
    objectives: z.array(z.string({ error: 'an objective is a report field by dotted path, with - to maximise' }), { error: 'objectives is a list of report fields' }).min(1, 'objectives lists at least one report field'),
  })
  .strict();

export type SweepSpec = z.output<typeof SweepSpecSchema>;

/** A spec with its files resolved (relative to the spec's folder) and its axes checked. */
export interface LoadedSweep {
  file: string;
  spec: SweepSpec;
  /** Model, input, reference and hardware paths, absolute. */
  models: { model: string; input: string; reference?: string }[];
  hardware: Hardware;
  /** Objectives as given: a report field, to minimise, or -field, to maximise. */
  objectives: { field: string; maximise: boolean; label: string }[];
}

const HARDWARE_FIELDS = new Set(hardwareFieldPaths().map(([name]) => name));

/** Whether `axis` names something a cell can vary: a compile option or a hardware field by dotted path. */
export function isKnownAxis(axis: string): boolean {
  return (OPTION_AXES as readonly string[]).includes(axis) || HARDWARE_FIELDS.has(axis);
}

/** Sets a dotted path in a plain object, creating the groups on the way. */
export function setPath(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) {
    if (typeof at[k] !== 'object' || at[k] === null) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

/** The hardware a base description and some axis values give, or the first problem with them. */
export function hardwareWith(base: Hardware, values: Record<string, unknown>): { hardware: Hardware } | { error: string } {
  const raw = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (const [axis, v] of Object.entries(values)) if (HARDWARE_FIELDS.has(axis)) setPath(raw, axis, v);
  const r = HardwareSchema.safeParse(raw);
  if (r.success) return { hardware: r.data };
  const i = r.error.issues[0];
  return { error: `${i.path.join('.')}: ${i.message}` };
}

export function readSweepSpec(file: string): LoadedSweep {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(DIAG.fileUnreadable, undefined, file, describeFsError(e));
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number) => {
    const p = lines.linePos(offset);
    return { file, line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    fail(DIAG.sweepSyntax, where(e.pos[0]), e.message.split('\n')[0]);
  }
  const at = (path: (string | number)[]) => nodeOffset(doc, path);
  const parsed = SweepSpecSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new AxcError(
      parsed.error.issues.slice(0, 5).map((i) => {
        const path = i.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        const keys = i.code === 'unrecognized_keys' ? i.keys : [];
        const off = keys.length ? keyOffset(doc, path, keys[0]) : at(path);
        return diag(DIAG.sweepField, off === null ? file : where(off), path.join('.') || '(top level)', keys.length ? `unknown field ${quote(keys[0])}` : i.message);
      }),
    );
  }
  const spec = parsed.data;
  const base = dirname(resolve(file));
  const diags: Diagnostic[] = [];
  const pos = (path: (string | number)[]) => {
    const off = at(path);
    return off === null ? file : where(off);
  };
  let hardware = DEFAULT_HARDWARE;
  if (spec.hardware !== undefined) {
    const hwFile = resolve(base, spec.hardware);
    try {
      hardware = parseHardware(readFileSync(hwFile, 'utf8'), hwFile);
    } catch (e) {
      if (e instanceof AxcError) throw e;
      fail(DIAG.sweepFileMissing, pos(['hardware']), spec.hardware, describeFsError(e));
    }
  }
  const models = spec.models.map((m, i) => {
    const out = { model: resolve(base, m.model), input: resolve(base, m.input), ...(m.reference !== undefined ? { reference: m.reference === 'exact' ? 'exact' : resolve(base, m.reference) } : {}) };
    for (const k of ['model', 'input', 'reference'] as const) {
      const p = out[k];
      if (p === undefined || p === 'exact') continue;
      // Checked, not read: an input may be large, and each cell reads it anyway.
      try {
        accessSync(p, constants.R_OK);
        if (statSync(p).isDirectory()) diags.push(diag(DIAG.sweepFileMissing, pos(['models', i, k]), m[k]!, 'it is a directory'));
      } catch (e) {
        diags.push(diag(DIAG.sweepFileMissing, pos(['models', i, k]), m[k]!, describeFsError(e)));
      }
    }
    return out;
  });
  for (const [axis, values] of Object.entries(spec.axes)) {
    if (!isKnownAxis(axis)) {
      const off = keyOffset(doc, ['axes'], axis);
      diags.push(diag(DIAG.sweepUnknownAxis, off === null ? file : where(off), axis));
      continue;
    }
    values.forEach((v, j) => {
      const problem = axisProblem(axis, v, hardware);
      if (problem) diags.push(diag(DIAG.sweepAxisValue, pos(['axes', axis, j]), axis, problem));
    });
  }
  const objectives = spec.objectives.map((o, i) => {
    const maximise = o.startsWith('-');
    const field = maximise ? o.slice(1) : o;
    if (!NUMERIC_REPORT_FIELDS.includes(field)) diags.push(diag(DIAG.sweepObjective, pos(['objectives', i]), field));
    return { field, maximise, label: o };
  });
  if (diags.length) throw new AxcError(diags);
  return { file, spec, models, hardware, objectives };
}

/** Why one axis value cannot be used, or null. */
function axisProblem(axis: string, v: unknown, base: Hardware): string | null {
  if (axis === 'schedule') return v === 'auto' || v === 'static' || v === 'dynamic' ? null : 'schedule is auto, static or dynamic';
  if (axis === 'batch') return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 64 ? null : 'batch is a whole number from 1 to 64';
  if (axis === 'threshold') return typeof v === 'number' && v > 0 && v < 1 ? null : 'threshold is a number strictly between 0 and 1';
  const r = hardwareWith(base, { [axis]: v });
  return 'error' in r ? r.error : null;
}

function nodeOffset(doc: Document, path: (string | number)[]): number | null {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return null;
}

function keyOffset(doc: Document, path: (string | number)[], key: string): number | null {
  const map = path.length ? doc.getIn(path, true) : doc.contents;
  const items = (map as { items?: { key: unknown }[] } | null)?.items;
  for (const it of items ?? []) {
    const k = it.key as { value?: unknown; range?: [number, number, number] };
    if (isNode(k) && k.value === key && k.range) return k.range[0];
  }
  return nodeOffset(doc, path);
}
