#!/usr/bin/env node
// Entry point for the `axc` bin: runs the JavaScript that `npm run build` bundles into dist/ (`npm ci`,
// `npm install`, `npm test` and `npm run bench` build it). A missing build, or one older than any source it
// was made from, is refused in one line rather than run: a silent fallback would hide old code or a 2 s start.
// AXC_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (slow to start; no build needed).
import { readFileSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);

/** Why dist/ cannot be run (a one-line reason), or null when it is current. */
function buildProblem() {
  let built;
  let inputs;
  try {
    built = statSync(new URL('dist/inputs.json', root)).mtimeMs;
    statSync(new URL('dist/main.js', root));
    inputs = JSON.parse(readFileSync(new URL('dist/inputs.json', root), 'utf8'));
  } catch {
    return 'dist/ is missing (axc is not built)';
  }
  for (const file of inputs) {
    let mtime;
    try {
      mtime = statSync(new URL(file, root)).mtimeMs;
    } catch {
      continue; // sources not shipped, or a file since removed: nothing to compare
    }
    if (mtime > built) return `the build in dist/ is older than ${file}`;
  }
  return null;
}

let cli;
if (process.env.AXC_FROM_SOURCE) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../cli/main.ts');
} else {
  const problem = buildProblem();
  if (problem) {
    process.stderr.write(`axc: ${problem}; run \`npm run build\` (or set AXC_FROM_SOURCE=1 to run the sources through tsx)\n`);
    process.exit(1);
  }
  cli = await import('../dist/main.js');
}
cli.guardStdout();
process.exitCode = await cli.main(process.argv.slice(2));
