// Renders the hardware-description reference table from the schema; README.md embeds it between markers
// and test/docs.test.ts keeps the copy current.

import { HardwareFields } from './description.ts';

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
    rows.push(`| \`${name}\` | ${JSON.stringify(s.def.defaultValue)} | ${range} | ${s.description ?? ''} |`);
  }
  return rows.join('\n');
}

