// The layer order of axc, stated once: every top-level folder is a layer, and a layer imports only the
// layers listed before it. `npm run deps` (and `npm test`) check it with dependency-cruiser.

/**
 * Lowest first. A folder may import its own files and any folder listed before it, never one after it, so
 * no two folders can import each other (no cycles between folders). One folder holds two layers:
 * benchmarks/catalog.ts and cpu-cost.ts (metadata the core needs) sit low, the rest of benchmarks/ (the
 * exact functions) high. The order among the top layers matters only in that it rules out cycles.
 */
const LAYERS = [
  'diagnostics', // the catalog of codes, Diagnostic, SourceLoc, quoting
  'arch', //        architectural limits: the widths of the ISA's fields
  'ir', //          the AXNet graph, numerics, verifier, reference interpreter, seeded randomness
  'input', //       guards every JSON reader runs before parsing
  'hardware', //    the hardware description and its loader
  'benchmark-catalog', // what the core may know of a benchmark: name, widths, CPU cost (no functions)
  'isa', //         the instruction table, encoding, container, assembler, disassembler
  'quality', //     error metrics, tallies, threshold choice
  'machine', //     the NPU engine: decode, execute, time and price one sample
  'compiler', //    passes from the IR to a binary (times placements through machine/time-paths.ts)
  'frontend', //    .axn reader, Keras/tfjs LayersModel JSON reader (layers-model/), file-kind sniffing
  'simulator', //   the run loop, CPU fallback, samples, reports, traces (handed the exact function by its caller)
  'benchmarks', //  the AxBench function library, datasets, generators
  'tfjs-runtime', // loading the tfjs library and exporting Layers models through it
  'training', //    trainers
  'plot', //        Vega-Lite figures
  'sweep', //       design-space sweeps: specs, cells, caching, the worker pool and the job queue
  'examples', //    example models and their generator
  // The top layers: programs and checks that drive everything below.
  'cli', //         the axc commands
  'perf', //        npm run bench: start-up, throughput and memory measurements
  'experiments', // npm run experiments: the paper's comparison of training methods
  'fuzz', //        npm run fuzz: mutators, one target per input format, the campaign runner
  'test', //        ava suites, golden files, test support
  'bin', //         the installed launcher: starts cli/
  'scripts', //     the build: bundles cli/ into dist/ with esbuild (by path, importing none of it)
];

const FOLDERS = LAYERS.filter((l) => l !== 'benchmark-catalog');

/** A folder's files, as dependency-cruiser sees paths (relative to the repository root). */
const inFolder = (layer) => (layer === 'benchmark-catalog' ? '^benchmarks/(catalog|cpu-cost)\\.ts$' : `^${layer}/`);

const layerRules = LAYERS.slice(0, -1).map((layer, i) => {
  const higher = LAYERS.slice(i + 1);
  return {
    name: `layer-${layer}`,
    severity: 'error',
    comment: `${layer} is layer ${i + 1} of ${LAYERS.length}: it may import only ${i === 0 ? 'its own files' : LAYERS.slice(0, i).join(', ')} (see .dependency-cruiser.cjs)`,
    from: { path: inFolder(layer), pathNot: layer === 'benchmarks' ? inFolder('benchmark-catalog') : undefined },
    // benchmarks/ is one folder but two layers: its catalog sits low, the function library high.
    to: { path: higher.map(inFolder), pathNot: higher.includes('benchmark-catalog') ? undefined : inFolder('benchmark-catalog') },
  };
});

module.exports = {
  forbidden: [
    ...layerRules.map((r) => JSON.parse(JSON.stringify(r))), // drops the undefined pathNot fields
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Every folder of code is a layer: add a new folder to LAYERS in .dependency-cruiser.cjs (and the README line) where it belongs.',
      from: { pathNot: [`^(${FOLDERS.join('|')})/`, '^node_modules/'] },
      to: {},
    },
    {
      name: 'compiler-times-through-summary',
      severity: 'error',
      comment:
        'The compiler times placements through machine/time-paths.ts (a timing summary per path), never the machine, its executors or its timing internals directly: the engine can change without the compiler noticing.',
      from: { path: '^compiler/' },
      to: { path: '^machine/', pathNot: '^machine/time-paths\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules must not import each other at run time in a cycle, not even within a folder: a cycle has no order to initialise in. (A type-only import back, as from a report to its warnings, is erased and allowed.)',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to no file.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Root files (this one, configs) are not code; dot-folders (a .scratch of one's own, editor state) are not the project's.
    exclude: { path: ['^(node_modules|test/golden|dist)/', '^\\.[^/]+/', '^[^/]+\\.[a-z]+$'] },
    tsPreCompilationDeps: true, // type-only imports count: a type from a higher layer is still a dependency on it
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
