// Rewrites the hardware table in README.md from the schema (npm run docs).

import { readFileSync, writeFileSync } from 'node:fs';
import { HARDWARE_DOC_BEGIN, HARDWARE_DOC_END, renderHardwareTable } from './hardware-doc.ts';

const url = new URL('../README.md', import.meta.url);
const readme = readFileSync(url, 'utf8');
const start = readme.indexOf(HARDWARE_DOC_BEGIN);
const end = readme.indexOf(HARDWARE_DOC_END);
if (start < 0 || end < start) throw new Error('README.md has no hardware-table markers');
writeFileSync(url, `${readme.slice(0, start + HARDWARE_DOC_BEGIN.length)}\n${renderHardwareTable()}\n${readme.slice(end)}`);
console.log('updated the hardware table in README.md');
