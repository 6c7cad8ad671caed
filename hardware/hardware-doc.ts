// Renders the hardware-description reference table from the schema; README.md embeds it between markers
// and test/docs.test.ts keeps the copy current.

import { HardwareFields } from './description.ts';
import { formatEnergy, TABULATED_FORMATS } from './format-energy.ts';
import { parseFormatName, type FormatSpec } from '../ir/number-format.ts';

export const HARDWARE_DOC_BEGIN = '<!-- hardware-table:begin (generated from hardware/description.ts) -->';
export const HARDWARE_DOC_END = '<!-- hardware-table:end -->';

interface FieldInfo {
  def: { type: string; defaultValue?: unknown; innerType?: FieldInfo };
  description?: string;
  minValue?: number | null;
  maxValue?: number | null;
  shape?: Record<string, FieldInfo>;
}

/** Every leaf field as [dotted name, schema], groups flattened in declaration order. */
export function hardwareFieldPaths(shape: Record<string, unknown> = HardwareFields.shape, prefix = ''): [string, FieldInfo][] {
  const out: [string, FieldInfo][] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const s = schema as FieldInfo;
    const inner = s.def.innerType;
    if (inner?.def.type === 'object' && inner.shape) out.push(...hardwareFieldPaths(inner.shape, `${prefix}${name}.`));
    else out.push([`${prefix}${name}`, s]);
  }
  return out;
}

export function renderHardwareTable(): string {
  const rows = ['| field | default | range | meaning |', '| --- | --- | --- | --- |'];
  for (const [name, s] of hardwareFieldPaths()) {
    const inner = s.def.innerType ?? s;
    const range = typeof inner.minValue === 'number' ? `${inner.minValue} – ${inner.maxValue}` : 'text';
    const dflt = s.def.defaultValue === undefined ? 'absent' : JSON.stringify(s.def.defaultValue);
    rows.push(`| \`${name}\` | ${dflt} | ${range} | ${s.description ?? ''} |`);
  }
  return [rows.join('\n'), '', renderFormatEnergyTable()].join('\n');
}

/** The arithmetic energy per format a datapath outside fp32 is priced with, each figure's source beside it. */
function renderFormatEnergyTable(): string {
  const rows = [
    'Outside fp32 the multiply-add unit and the gate are priced per format (`hardware/format-energy.ts`); fp32 keeps `energy.fp32Mult` and `energy.fp32Add` above. `fixed<W>.<F>` of 8 or 32 bits takes int8\'s or int32\'s figures.',
    '',
    '| format | multiply (pJ) | add (pJ) | source |',
    '| --- | --- | --- | --- |',
  ];
  for (const name of TABULATED_FORMATS) {
    const e = formatEnergy(parseFormatName(name) as FormatSpec);
    rows.push(`| \`${name}\` | ${Number(e.mult.toFixed(3))} | ${Number(e.add.toFixed(3))} | ${e.source} |`);
  }
  return rows.join('\n');
}

