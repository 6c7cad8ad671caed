// Generated documentation stays current: the README's hardware table matches the schema (npm run docs).

import { readFileSync } from 'node:fs';
import test from 'ava';
import { HARDWARE_DOC_BEGIN, HARDWARE_DOC_END, hardwareFieldPaths, renderHardwareTable } from '../hardware/hardware-doc.ts';

test("README's hardware table is the one generated from the schema", (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(HARDWARE_DOC_BEGIN);
  const end = readme.indexOf(HARDWARE_DOC_END);
  t.true(start >= 0 && end > start, 'README has the hardware-table markers');
  t.is(readme.slice(start + HARDWARE_DOC_BEGIN.length, end).trim(), renderHardwareTable());
  const fields = hardwareFieldPaths().map(([name]) => name);
  t.true(fields.includes('energy.fp32Mult') && fields.includes('latency.dramLatencyCycles'), 'nested groups are listed by their leaves');
  for (const field of fields) t.true(readme.includes(`| \`${field}\` |`), field);
});

test('the example hardware description the README uses is valid', async (t) => {
  const { loadHardwareFile } = await import('../hardware/load-hardware.ts');
  const hw = loadHardwareFile('examples/npu-small.json');
  t.is(hw.name, 'small-npu');
  t.is(hw.bus.dataBuses, 2);
  t.is(hw.latency.macCycles, 1, 'fields left out keep their defaults');
});
