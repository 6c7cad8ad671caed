// Writes isa/README.md from the instruction table (npm run isa:doc).

import { writeFileSync } from 'node:fs';
import { renderIsaDoc } from './isa-doc.ts';

writeFileSync(new URL('./README.md', import.meta.url), renderIsaDoc());
console.log('wrote isa/README.md');
