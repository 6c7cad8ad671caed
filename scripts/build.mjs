#!/usr/bin/env node
// npm run build (also run by `npm ci`/`npm install` through `prepare`, and before `npm test` and `npm run
// bench`): bundles the CLI's TypeScript into dist/ with esbuild, so `axc` starts without compiling TypeScript.
// node_modules packages stay external (imported from node_modules at run time, as before), with the
// exceptions below, and dynamic imports (axc tune's plot: vega, vega-lite) become separate chunks loaded only
// when reached.
// Plain JavaScript, so it runs before anything else is built.

import { build } from 'esbuild';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Packages bundled rather than imported at run time, because loading them file by file dominated the start:
 * chevrotain imports all of lodash-es through its index, some 650 module files (about 0.4 s of every start,
 * more than the rest of axc together); bundled, only the lodash functions it uses are kept. zod is 95 files
 * (about 0.1 s). Both are pure JavaScript with no native parts and no paths relative to their own files, and
 * the code bundled is the installed (lockfile) version, since this build runs at install. The rest (commander,
 * jsonc-parser, msgpackr with its optional native part, cli-progress, and the heavy, lazily imported vega and
 * TensorFlow.js) are imported from node_modules at run time.
 */
const BUNDLED = /^(chevrotain|@chevrotain\/[^/]+|lodash-es|zod)(\/|$)/;

/** Every other bare import (node:*, and packages) stays an import of node_modules at run time. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

const root = fileURLToPath(new URL('..', import.meta.url));
// Build beside dist/ and swap it in whole, so an axc started meanwhile sees the old build or the new one,
// never half of each.
const staging = `${root}dist.${process.pid}.tmp`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging);
try {
  const result = await build({
    absWorkingDir: root,
    // The sweep's worker threads load cell-worker.js beside main.js (sweep/local-pool.ts).
    entryPoints: { main: 'cli/main.ts', 'cell-worker': 'sweep/cell-worker.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [externals],
    // No keepNames: it wraps every named function and class in a defineProperty call where it is created,
    // which cost half of compile's time (closures made in hot loops). Bundling renames only top-level names
    // that clash between modules (readFileSync2), and no output of axc depends on a function's name.
    sourcemap: 'linked',
    // Chunks beside main.js, so import.meta.url-relative paths (../package.json) mean the same in all of them.
    chunkNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning',
    tsconfig: 'tsconfig.json',
  });
  // The sources the bundle was made from (and this script and the tsconfig that made it), for bin/axc.js's
  // check that the build is not older than them; of a bundled package, its package.json (which a reinstall
  // rewrites) stands for its files.
  const inputs = new Set(['scripts/build.mjs', 'tsconfig.json']);
  for (const file of Object.keys(result.metafile.inputs)) {
    const pkg = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
    inputs.add(pkg ? `${pkg[1]}/package.json` : file);
  }
  writeFileSync(`${staging}/inputs.json`, `${JSON.stringify([...inputs])}\n`);
  // cli/main.ts reads ../package.json relative to its own module: from dist/main.js that is still the root.
  rmSync(`${root}dist.old.${process.pid}`, { recursive: true, force: true });
  try {
    renameSync(`${root}dist`, `${root}dist.old.${process.pid}`);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  renameSync(staging, `${root}dist`);
  rmSync(`${root}dist.old.${process.pid}`, { recursive: true, force: true });
} catch (e) {
  rmSync(staging, { recursive: true, force: true });
  if (!e.errors) throw e; // esbuild has already printed its errors
  process.exitCode = 1;
}
