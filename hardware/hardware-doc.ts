// Renders the hardware-description reference table from the schema; README.md embeds it between markers
// and test/docs.test.ts keeps the copy current.

import { HardwareFields } from './description.ts';

export const HARDWARE_DOC_BEGIN = '<!-- hardware-table:begin (generated from hardware/description.ts) -->';
export const HARDWARE_DOC_END = '<!-- hardware-table:end -->';

export function renderHardwareTable(): string {
  const rows = ['| field | default | range | meaning |', '| --- | --- | --- | --- |'];
  for (const [name, schema] of Object.entries(HardwareFields.shape)) {
    const s = schema as unknown as { def: { defaultValue: unknown; innerType: { minValue?: number | null; maxValue?: number | null } }; description?: string };
    const inner = s.def.innerType;
    const range = typeof inner.minValue === 'number' ? `${inner.minValue} – ${inner.maxValue}` : 'text';
    rows.push(`| \`${name}\` | ${JSON.stringify(s.def.defaultValue)} | ${range} | ${s.description ?? ''} |`);
  }
  return rows.join('\n');
}
