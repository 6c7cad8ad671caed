// The one catalog of diagnostics: every error and warning axc reports, its code and its words, comes from an entry here.
// Codes are stable (tests and users grep for them): a prefix names the subsystem, a code a kind of problem that several entries may share.

import { clip, quote } from './quote.ts';

type Fmt = (...args: any[]) => string;

/** `usage`: the command line itself is wrong (exit 2), as opposed to the files it names (exit 1). */
function entry<F extends Fmt>(code: string, message: F, kind: 'input' | 'usage' = 'input') {
  return { code, message, kind, severity: 'error' as 'error' | 'warning' };
}

/** A warning: axc says it and carries on (the exit code stays 0). */
function warning<F extends Fmt>(code: string, message: F) {
  return { ...entry(code, message), severity: 'warning' as 'error' | 'warning' };
}

const notLayersModel = (why: string) => `not a TensorFlow.js LayersModel: ${why}`;
const notAxnet = (why: string) => `not an AXNet model: ${why}`;
const badMultiply = (layer: string, why: string) => `Multiply layer ${quote(layer)} ${why}`;
const badDecision = (layer: string, why: string) => `decision layer ${quote(layer)} ${why}; the decision is a Dense with 1 unit and sigmoid activation, or 2 units and softmax activation`;
const NEEDS_INPUT_WIDTH = 'axc needs the input width (batch_input_shape [null, N])';
const topology = (which: string, given: string, why: string) => `${which} topology '${given}': ${why}`;
const invalidIr = (why: string) => `invalid IR: ${why}`;
const THRESHOLD_RULE = 'T is a plain decimal number in (0, 1), such as 0.7';
const cannotRun = (why: string) => `model cannot run on this NPU under any schedule: ${why}`;
const malformed = (why: string) => `binary is malformed: ${why}`;
const badSymbols = (why: string) => `bad symbol table: ${why}`;
const illegal = (pc: number, why: string) => `illegal instruction at pc ${pc}: ${why}`;

export const DIAG = {
  // .axn lexing and parsing
  unexpectedCharacter: entry('AXN001', (ch: string) => `unexpected character ${quote(ch)}`),
  syntax: entry('AXN002', (what: string) => what),
  // reading bounds (issue 8): a flood of errors stops, and weight lists nest only as deep as a matrix needs
  tooManyErrors: entry('AXN003', (n: number) => `too many errors; axc stopped reading the file here, after the first ${n}`),
  weightsTooDeep: entry('AXN004', (max: number) => `weight lists nest at most ${max} deep (a weight matrix needs 2); this '[' opens level ${max + 1}`),
  // .axn semantics
  duplicateName: entry('AXN101', (name: string, firstLine: number) => `${quote(name)} is already declared (line ${firstLine})`),
  unknownActivation: entry('AXN102', (name: string) => `unknown activation ${quote(name)}; expected linear, relu, sigmoid or tanh`),
  nonPositiveWidth: entry('AXN103', (what: string, w: number) => `${what} must be a positive integer, got ${w}`),
  widthTooLarge: entry('AXN104', (what: string, w: number, max: number) => `${what} ${w} is too large to represent (at most ${max})`),
  undefinedControl: entry('AXN105', (name: string) => `control vector ${quote(name)} is not declared in the predictor's output`),
  controlUsedTwice: entry('AXN106', (name: string, first: string) => `control vector ${quote(name)} already controls layer ${quote(first)}; each control vector gates one layer`),
  controlWidthMismatch: entry('AXN107', (name: string, w: number, layer: string, lw: number) => `control vector ${quote(name)} has width ${w} but layer ${quote(layer)} it controls has width ${lw}`),
  unusedControl: entry('AXN108', (name: string) => `control vector ${quote(name)} controls no layer`),
  missingDecision: entry('AXN109', (split: string) => `predictor output ${quote(split)} has no decision; add 'decision = sigmoid(threshold: 0.5)' or 'decision = softmax(safe: 1)'`),
  controlledOutputLayer: entry('AXN110', (layer: string) => `${quote(layer)} is the approximator's output layer and cannot be controlled; only hidden layers are gated`),
  outputWidthMismatch: entry('AXN111', (layer: string, w: number, declared: number) => `approximator output layer ${quote(layer)} has width ${w} but the model declares output ${declared}`),
  emptySubnet: entry('AXN112', (what: string) => `${what} has no layers`),
  missingDeclaration: entry('AXN113', (what: string) => `model is missing its ${quote(what)} declaration`),
  duplicateDeclaration: entry('AXN114', (what: string) => `${quote(what)} is declared more than once`),
  badThreshold: entry('AXN115', (t: number) => `decision threshold must lie strictly between 0 and 1 (as a float32), got ${t}`),
  badBound: entry('AXN116', (b: number) => `error bound must be a positive finite number, got ${b}`),
  badSafeIndex: entry('AXN117', (i: number) => `softmax 'safe' must be 0 or 1, got ${i}`),
  unknownMetric: entry('AXN118', (m: string) => `unknown quality metric ${quote(m)}; expected abs, rel or rmse`),
  // AXN119: an argument that is not one of the allowed ones
  badWeightsSeed: entry('AXN119', (text: string) => `weights seed must be an integer from 0 to 4294967295, got ${text}`),
  unknownWeightField: entry('AXN119', (field: string, layer: string) => `unknown weight field ${quote(field)} of ${quote(layer)}; expected 'w' (weights) or 'b' (bias)`),
  unknownDecisionArgument: entry('AXN119', (kind: string, argument: string, allowed: readonly string[]) => `${kind} decision has no argument ${quote(argument)}; ${allowed.length === 1 ? `its only argument is ${quote(allowed[0])}` : `its arguments are ${allowed.map((n) => quote(n)).join(' and ')}`}`),
  missingWeights: entry('AXN120', (layer: string, what: string) => `no ${what} given for layer ${quote(layer)}`),
  weightCount: entry('AXN121', (layer: string, what: string, expected: number, got: number) => `layer ${quote(layer)} ${what} needs ${expected} values, got ${got}`),
  weightShape: entry('AXN122', (layer: string, what: string, expected: string, got: string) => `layer ${quote(layer)} ${what} has shape ${got}, expected ${expected}`),
  unknownWeightLayer: entry('AXN123', (layer: string) => `weights given for ${quote(layer)}, which is not a layer of this model`),
  weightNotFloat32: entry('AXN124', (v: string) => `weight ${clip(v)} is not a finite float32 value`),
  weightsFileUnreadable: entry('AXN125', (path: string, why: string) => `cannot read weights file ${quote(path, 200)}: ${why}`),
  // AXN126: a weights file (JSON) that does not hold a weight table; `found` describes the JSON value met
  weightsFileSyntax: entry('AXN126', (parserError: string) => `weights file is not valid JSON: ${parserError}`),
  weightsFileEmpty: entry('AXN126', () => 'weights file is empty'),
  weightsFileDuplicateKey: entry('AXN126', (key: string) => `duplicate key "${clip(key)}"`),
  weightsFileNotObject: entry('AXN126', (found: string) => `weights file must be a JSON object, found ${found}`),
  weightsFileNoFormat: entry('AXN126', (format: string) => `weights file has no "format" key; expected "format": "${format}"`),
  weightsFileFormat: entry('AXN126', (format: string, found: string) => `"format" must be "${format}", found ${found}`),
  weightsFileNoVersion: entry('AXN126', (version: number) => `weights file has no "version" key; expected "version": ${version}`),
  weightsFileVersion: entry('AXN126', (version: number, found: string) => `"version" must be ${version}, found ${found}`),
  weightsFileNoLayers: entry('AXN126', () => 'weights file has no "layers" object'),
  weightsFileLayersNotObject: entry('AXN126', (found: string) => `"layers" must be an object, found ${found}`),
  weightsFileLayerNotObject: entry('AXN126', (layer: string, found: string) => `layer "${clip(layer)}" must be an object with "w" and "b", found ${found}`),
  weightsFileUnknownKey: entry('AXN126', (key: string, layer: string) => `unknown key "${clip(key)}" in layer "${clip(layer)}"; expected "w" and "b"`),
  weightsFileFieldNotArray: entry('AXN126', (layer: string, field: string, found: string) => `layer "${clip(layer)}" "${field}" must be an array, found ${found}`),
  weightsFileNotNumber: entry('AXN126', (found: string) => `expected a number or an array, found ${found}`),
  weightsMissing: entry('AXN127', () => `model has no 'weights' declaration; give a file, an inline block, or 'weights seed N'`),
  controlInPredictor: entry('AXN128', (layer: string) => `predictor layer ${quote(layer)} cannot be 'controlled by' a control vector; only approximator hidden layers are gated`),
  decisionNotLast: entry('AXN129', (split: string, after: string) => `the decision must be the last entry of split ${quote(split)}; move it after ${quote(after)}`),
  unknownDecision: entry('AXN130', (kind: string) => `unknown decision ${quote(kind)}; expected sigmoid(threshold: T) or softmax(safe: I, threshold: T)`),
  missingSplit: entry('AXN131', () => `predictor has no 'split' output block; add 'split NAME { ... decision = softmax(safe: 1) }'`),
  // AXN132 (an unknown benchmark name) is retired: the .axn `benchmark` line reports AXD901 like `axc data`.
  benchmarkWidth: entry('AXN133', (name: string, bin: number, bout: number, min: number, mout: number) => `benchmark ${quote(name)} maps ${bin} inputs to ${bout} outputs, but the model maps ${min} to ${mout}`),
  badCpuCycles: entry('AXN134', (v: number) => `cpu cycles must be a whole number from 1 to 1000000000, got ${v}`),

  // compiler
  staticDoesNotFit: entry('AXC201', (why: string) => `static schedule does not fit this NPU: ${why}`),
  // AXC202: no schedule fits; one entry per resource that is too small
  onChipMemoryTooSmall: entry('AXC202', (needed: number, words: number) => cannotRun(`one sample's working set (its input, control vectors, P(x), the intermediates alive at once and its output) needs ${needed} words of on-chip memory, but the NPU has ${words}`)),
  inputBufferTooSmall: entry('AXC202', (layer: string, needed: number, inputs: number, controls: number | null, bufferWords: number) => cannotRun(`'${layer}' needs ${needed} input-buffer words (${inputs} inputs${controls === null ? '' : ` + ${controls} control elements`}), but a tile's input buffer holds ${bufferWords}`)),
  dramTooSmall: entry('AXC202', (imageWords: number, dramWords: number) => cannotRun(`its weight image is ${imageWords} words, but DRAM holds ${dramWords}`)),
  batchTooLarge: entry('AXC205', (batch: number, words: number, ocm: number, fits: number) => `--batch ${batch} needs ${batch} samples' working sets of ${words} words each in on-chip memory, but the NPU has ${ocm} words: at most ${fits} fit`),
  batchProgramTooLong: entry('AXC205', (batch: number, perSample: number, max: number) => `--batch ${batch} unrolls about ${perSample} instructions per sample into ${batch * perSample}, but a program holds at most ${max}; take a smaller batch`),
  int8NeedsCalibration: entry('AXC206', () => 'an int8 datapath needs the range of every tensor to choose its scale: give calibration samples with axc compile --calibrate FILE (rows as axc sim reads them, such as the training inputs)'),
  tooManyNumericLayers: entry('AXC206', (layers: number, max: number) => `the model has ${layers} layers; outside fp32 a program names each layer's number formats, and at most ${max} fit its q operand`),
  unknownPass: entry('AXC203', (name: string, passes: string) => `unknown pass '${name}'; passes are: ${passes}`),
  // AXC204: the IR breaks an invariant of ir/verify-model.ts (a frontend's bug, or a hand-built model)
  irWidth: entry('AXC204', (what: string, width: number, max: number) => invalidIr(`${what} is ${width}; widths are integers in [1, ${max}]`)),
  irLayerFed: entry('AXC204', (layer: string, inputs: number, fed: number) => invalidIr(`layer '${layer}' takes ${inputs} inputs but is fed ${fed}`)),
  irActivation: entry('AXC204', (layer: string, activation: string) => invalidIr(`layer '${layer}' has activation '${activation}'`)),
  irWeightCount: entry('AXC204', (layer: string, got: number, needed: number) => invalidIr(`layer '${layer}' has ${got} weights, needs ${needed}`)),
  irBiasCount: entry('AXC204', (layer: string, got: number, needed: number) => invalidIr(`layer '${layer}' has ${got} biases, needs ${needed}`)),
  irNoApproximator: entry('AXC204', () => invalidIr('the approximator has no layers')),
  irNameTwice: entry('AXC204', (name: string) => invalidIr(`name '${name}' is used twice`)),
  irOutputControlled: entry('AXC204', (layer: string) => invalidIr(`output layer '${layer}' is controlled`)),
  irOutputWidth: entry('AXC204', (produced: number, declared: number) => invalidIr(`the approximator produces ${produced} outputs, the model declares ${declared}`)),
  irControlWithoutPredictor: entry('AXC204', () => invalidIr('layers are controlled but the model has no predictor')),
  irPredictorFed: entry('AXC204', (output: string, inputs: number, fed: number) => invalidIr(`predictor output '${output}' takes ${inputs} inputs but is fed ${fed}`)),
  irPredictorWeights: entry('AXC204', (output: string, width: number) => invalidIr(`predictor output '${output}' has the wrong number of weights for width ${width}`)),
  irThreshold: entry('AXC204', (kind: string) => invalidIr(`${kind} threshold outside (0, 1) as a float32`)),
  irSafeIndex: entry('AXC204', () => invalidIr('softmax safe index is not 0 or 1')),
  irSegmentUsers: entry('AXC204', (segment: string, users: number) => invalidIr(`control segment '${segment}' gates ${users} layers; it must gate exactly one`)),
  irSegmentWidth: entry('AXC204', (segment: string, width: number, layer: string, layerWidth: number) => invalidIr(`control segment '${segment}' has width ${width}, layer '${layer}' has ${layerWidth}`)),
  irControlNotSegment: entry('AXC204', (control: string, output: string) => invalidIr(`control '${control}' is not a segment of '${output}'`)),

  // hardware description
  // AXH301: the text is not JSON; the parser's own words, or an empty file
  hardwareSyntax: entry('AXH301', (parserError: string) => `hardware description is not valid JSON: ${parserError}`),
  hardwareEmpty: entry('AXH301', () => 'hardware description is not valid JSON: empty file'),
  // AXH302: a field's value; the schema's words (zod), or what is wrong with the field itself
  hardwareField: entry('AXH302', (field: string, schemaIssue: string) => `hardware field ${quote(field)}: ${schemaIssue}`),
  hardwareNotObject: entry('AXH302', () => `hardware field ${quote('(top level)')}: a hardware description is a JSON object of fields, like {"tiles": 4}`),
  hardwareUnknownField: entry('AXH302', (field: string) => `hardware field ${quote(field)}: is not a hardware parameter`),
  hardwareDuplicate: entry('AXH303', (field: string) => `hardware field ${quote(field)} is given more than once`),

  // binaries
  notABinary: entry('AXB401', () => `not an axc binary (bad magic number)`),
  binaryVersion: entry('AXB402', (got: number, want: number) => `binary format version ${got} is not supported by this axc (expects version ${want}); recompile the model`),
  binaryChecksum: entry('AXB403', () => `binary is corrupt: its CRC-32 does not match its contents`),
  // AXB404, one entry per way a binary's container or body can be malformed
  binaryTruncated: entry('AXB404', () => malformed('it is truncated or its container is damaged')),
  binaryBodyUnreadable: entry('AXB404', (decoderError: string) => malformed(decoderError)),
  binaryHardwareInvalid: entry('AXB404', (field: string, schemaIssue: string) => malformed(`its hardware description is invalid (${field}: ${schemaIssue})`)),
  binaryNumerics: entry('AXB404', (why: string) => malformed(why)),
  binaryNotTypedArray: entry('AXB404', (what: string, dtype: string) => malformed(`${what} is not a ${dtype} array`)),
  binaryCodeNotInstructions: entry('AXB404', () => malformed('code length is not a whole number of instructions')),
  binaryCodeLength: entry('AXB404', (words: number, instructionWords: number) => malformed(`code is ${words} words, not a multiple of ${instructionWords}`)),
  binarySourceMapMissing: entry('AXB404', () => malformed('source map is missing')),
  binarySourceMapFileNames: entry('AXB404', () => malformed('source map file names are not strings')),
  binarySourceMapShort: entry('AXB404', () => malformed('source map does not cover every instruction')),
  binarySourceMapFile: entry('AXB404', (index: number, file: number, files: number) => malformed(`source map entry ${index} names file ${file} of ${files}`)),
  binaryPartInvalid: entry('AXB404', (part: string, schemaIssue: string) => malformed(`its ${part} is invalid (${schemaIssue})`)),
  binaryRegionName: entry('AXB404', (name: string) => malformed(`region name ${quote(name)} is not one word`)),
  binaryMetaWidths: entry('AXB404', (metaIn: number, metaOut: number, received: number, sent: number) => malformed(`its metadata says ${metaIn} -> ${metaOut} but its program receives ${received} and sends ${sent} words`)),
  binaryUnknownBenchmark: entry('AXB404', (name: string) => malformed(`it names benchmark ${quote(name)}, which this axc does not know`)),
  // AXB405: an instruction the NPU cannot execute (isa/verify-program.ts, isa/encoding.ts)
  rangeExceeds: entry('AXB405', (pc: number, mnemonic: string, what: string, start: number, n: number, size: number, unit: string) => illegal(pc, `${mnemonic}: ${what} [${start}, ${start + n}) exceeds the ${size}-word ${unit}`)),
  noSuchTile: entry('AXB405', (pc: number, mnemonic: string, tile: number, tiles: number) => illegal(pc, `${mnemonic}: tile ${tile} does not exist (the NPU has ${tiles})`)),
  recvNothing: entry('AXB405', (pc: number, mnemonic: string) => illegal(pc, `${mnemonic}: receives 0 words; a sample has at least one value`)),
  recvWidthChanges: entry('AXB405', (pc: number, mnemonic: string, len: number, earlier: number) => illegal(pc, `${mnemonic}: receives ${len} words but an earlier recv takes ${earlier}`)),
  sendWidthChanges: entry('AXB405', (pc: number, mnemonic: string, len: number, earlier: number) => illegal(pc, `${mnemonic}: sends ${len} words but an earlier send gives ${earlier}`)),
  pesExceedTile: entry('AXB405', (pc: number, mnemonic: string, pe: number, count: number, pes: number) => illegal(pc, `${mnemonic}: PEs [${pe}, ${pe + count}) exceed the tile's ${pes}`)),
  unusableThreshold: entry('AXB405', (pc: number, mnemonic: string, threshold: number) => illegal(pc, `${mnemonic}: threshold ${threshold} is not strictly between 0 and 1 (as a float32)`)),
  targetPastEnd: entry('AXB405', (pc: number, mnemonic: string, target: number, length: number) => illegal(pc, `${mnemonic}: branch target ${target} is past the end of the program (${length} instructions)`)),
  noSuchLayer: entry('AXB405', (pc: number, mnemonic: string, q: number, layers: number) => illegal(pc, `${mnemonic}: computes in the formats of numerics layer q${q}, but the binary describes ${layers === 0 ? 'none (it computes in fp32)' : `q1 to q${layers}`}`)),
  slotNeverFilled: entry('AXB405', (pc: number, mnemonic: string, slot: number, batch: number) => illegal(pc, `${mnemonic}: reads sample slot s${slot}, but the program's recvs fill ${batch === 1 ? 'only s0' : `s0 to s${batch - 1}`}`)),
  batchSlotsGap: entry('AXB405', (highest: number, missing: number) => `illegal program: its recvs fill sample slots up to s${highest} but none fills s${missing}; a batch's slots are s0, s1, ... with none left out`),
  programTooLong: entry('AXB405', (length: number, max: number) => illegal(max, `program has ${length} instructions; at most ${max} fit the branch target field`)),
  programNoRecv: entry('AXB405', () => illegal(0, 'program has no recv, so it never takes a sample')),
  unknownOpcode: entry('AXB405', (pc: number, opcode: number) => illegal(pc, `unknown opcode ${opcode}`)),
  badStageTag: entry('AXB405', (pc: number, stage: number) => illegal(pc, `stage tag ${stage} is not a stage`)),
  reservedBitsSet: entry('AXB405', (pc: number, mnemonic: string) => illegal(pc, `reserved bits of '${mnemonic}' are not zero`)),
  hardwareMismatch: entry('AXB406', (built: string, given: string) => `binary was compiled for hardware ${built}, not ${given}; recompile with this --npu`),
  // Issue 8 (isa): checks the loader and the assembler share (isa/check-binary.ts, isa/control-flow.ts).
  fallsOffEnd: entry('AXB420', (pc: number, mnemonic: string) => `control runs off the end of the program: '${mnemonic}' at pc ${pc} is the last instruction and a path continues past it; end every path with 'jmp' (back to the sample loop) or 'halt'`),
  regionOutOfRange: entry('AXB421', (name: string, at: string, len: number, size: number, memory: string) => `region '${name}' at ${at} with ${len} words does not fit the ${size}-word ${memory}`),
  dramImageTooLarge: entry('AXB422', (words: number, limit: number, holder: string) => `the DRAM image needs ${words} words, but ${holder} holds ${limit}`),
  benchmarkWidths: entry('AXB423', (name: string, bin: number, bout: number, pin: number, pout: number) => `the program names benchmark '${name}' (${bin} -> ${bout}) for a ${pin} -> ${pout} program`),
  // AXB424: the symbol table, one entry per fault
  symbolNotLabel: entry('AXB424', (name: string) => badSymbols(`${quote(name)} is not a label name`)),
  symbolTwice: entry('AXB424', (name: string) => badSymbols(`${quote(name)} is defined twice`)),
  symbolPastEnd: entry('AXB424', (name: string, pc: number, length: number) => badSymbols(`${quote(name)} is at pc ${pc}, past the end of the program (${length} instructions)`)),
  dramNotFinite: entry('AXB425', (addr: number, value: number) => `DRAM word ${addr} holds ${value}; the image must hold finite float32 values`),

  // assembler
  unknownMnemonic: entry('AXA501', (m: string) => `unknown mnemonic ${quote(m)}`),
  operandCount: entry('AXA502', (mnemonic: string, count: string, names: string, got: number) => `'${mnemonic}' takes ${count} operands (${names}), got ${got}`),
  badOperand: entry('AXA502', (mnemonic: string, operand: string, expected: string, text: string) => `${mnemonic} operand '${operand}': expected ${expected}, got ${quote(text)}`),
  operandTooWide: entry('AXA502', (mnemonic: string, operand: string, value: number, bits: number) => `${mnemonic} operand '${operand}': ${value} does not fit in ${bits} bits`),
  undefinedLabel: entry('AXA503', (l: string) => `undefined label ${quote(l)}`),
  duplicateLabel: entry('AXA504', (l: string) => `label ${quote(l)} is defined twice`),
  // AXA505, one entry per directive: what its operands must be
  badStage: entry('AXA505', (stages: string, last: number) => `.stage takes one of ${stages} (or 0-${last})`),
  badModelName: entry('AXA505', () => '.model takes one name'),
  badBenchmarkDirective: entry('AXA505', (benchmarks: string) => `.benchmark takes one of ${benchmarks}`),
  badCpuDirective: entry('AXA505', () => '.cpu takes the CPU cycles of one exact evaluation (a whole number from 1)'),
  badQualityDirective: entry('AXA505', (metrics: string) => `.quality takes METRIC BOUND with METRIC one of ${metrics} and a positive decimal BOUND`),
  badScheduleDirective: entry('AXA505', () => '.schedule takes static, dynamic or assembled'),
  badRegionDirective: entry('AXA505', (kinds: string) => `.region takes NAME KIND mADDR|dADDR LEN with KIND one of ${kinds}`),
  badDataDirective: entry('AXA505', () => '.data takes dADDR then comma-separated finite float32 values'),
  unknownDirective: entry('AXA505', (head: string) => `unknown directive ${quote(head)}`),

  // simulator and its inputs
  inputNumber: entry('AXS601', (tok: string) => `${quote(tok)} is not a number`),
  inputWidth: entry('AXS602', (got: number, want: number) => `sample has ${got} value${got === 1 ? '' : 's'}, the program expects ${want}`),
  // AXS603: the program misbehaves while it runs
  runawayProgram: entry('AXS603', (pc: number, budget: number) => `simulation fault at pc ${pc}: more than ${budget} instructions without returning to recv`),
  haltedBeforeSample: entry('AXS603', (pc: number) => `simulation fault at pc ${pc}: the program halted before taking this sample`),
  inputEmpty: entry('AXS604', () => `input has no samples`),
  inputEmptyValue: entry('AXS605', () => `empty value between separators`),
  inputRange: entry('AXS606', (tok: string) => `${quote(tok)} is outside the float32 range`),
  referenceWidth: entry('AXS607', (got: number, want: number) => `reference row has ${got} value${got === 1 ? '' : 's'}, the program sends ${want}`),
  referenceShort: entry('AXS608', (rows: number) => `the reference ends after ${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'}, but the input has more samples; give one reference row per input sample`),
  referenceLong: entry('AXS609', (samples: number) => `the reference has more rows than the input's ${samples.toLocaleString('en-US')} sample${samples === 1 ? '' : 's'}; this is the first extra row`),
  referenceEmpty: entry('AXS610', () => `reference has no rows`),

  // command line and files
  fileUnreadable: entry('AXU701', (path: string, systemError: string) => `cannot read '${path}': ${systemError}`),
  // AXU701 for training data (benchmarks/read-axbench.ts) that cannot be read as such
  samplesDiffer: entry('AXU701', (yFile: string, ySamples: number, xFile: string, xSamples: number) => `cannot read '${yFile}': it has ${ySamples} samples but ${xFile} has ${xSamples}`),
  fannHeaderSyntax: entry('AXU701', (file: string, found: string) => `cannot read '${file}': a FANN header is three non-negative integers 'count inputs outputs', found '${found}'`),
  fannHeaderWidths: entry('AXU701', (file: string, inputs: number, outputs: number, expectedIn: number, expectedOut: number) => `cannot read '${file}': its header declares ${inputs} -> ${outputs} values per sample, expected ${expectedIn} -> ${expectedOut}`),
  fileUnwritable: entry('AXU702', (path: string, why: string) => `cannot write '${path}': ${why}`),
  // AXU703: an option's value, or options that do not go together; one entry per rule
  compileNeedsOutput: entry('AXU703', () => 'compile needs -o <prog.bin> (or --dump-after <pass> to only inspect the IR)', 'usage'),
  tfjsOnlyOption: entry('AXU703', (flag: string) => `${flag} applies to an imported AXNet (a TensorFlow.js model.json or an ONNX model) only; an .axn states its decision in the model ('decision = sigmoid(threshold: T)' or 'softmax(safe: I)')`, 'usage'),
  decisionOptionNoPredictor: entry('AXU703', (flag: string, what: string) => `${flag} sets the decision of an imported AXNet; ${what} has no predictor and always runs on the NPU`, 'usage'),
  importOnlyOption: entry('AXU703', (flag: string) => `${flag} applies to an imported model (model.json, .nn, .onnx); an .axn states it in the model (a 'benchmark' or 'quality' line)`, 'usage'),
  importNeedsForeignModel: entry('AXU703', (file: string) => `axc import reads a model.json, .nn or .onnx file; '${file}' is read as .axn source, which axc compile takes as it is`, 'usage'),
  badQualityOption: entry('AXU703', (text: string) => `--quality takes METRIC<BOUND (or METRIC:BOUND), METRIC one of abs, rel, rmse and BOUND a positive number, such as rmse:0.1; got ${quote(text)}`, 'usage'),
  outputDirectoryIsFile: entry('AXU703', (dir: string) => `-o '${dir}' is an existing file; -o names a directory to write into`, 'usage'),
  judgingWithoutReference: entry('AXU703', () => '--metric and --bound say how outputs are judged against a reference; give --reference <file|exact> too', 'usage'),
  badBoundOption: entry('AXU703', (text: string) => `--bound takes a positive decimal number; got '${text}'`, 'usage'),
  qualityHalfGiven: entry('AXU703', (model: string, missing: 'metric' | 'bound') => `model '${model}' has no \`quality\` line to take the ${missing} from; give ${missing === 'metric' ? '--metric abs|rel|rmse' : '--bound B'} too`, 'usage'),
  stdinTwice: entry('AXU703', () => "--input and --reference cannot both read standard input ('-')", 'usage'),
  badTraceSamples: entry('AXU703', (text: string) => `--trace-samples takes A:B with A < B (samples A to B-1), :B, A:, or N; got '${text}'`, 'usage'),
  traceSamplesWithoutTrace: entry('AXU703', () => '--trace-samples chooses which samples go into the trace; give --trace <trace.json> too', 'usage'),
  quietShowsNothing: entry('AXU703', () => '-q hides the report table, and no --output, --report or --trace was given: the run would show nothing', 'usage'),
  traceTooLarge: entry('AXU703', (maxEvents: number) => `the trace passed ${maxEvents.toLocaleString('en-US')} events; trace fewer samples with --trace-samples (e.g. 0:1000)`, 'usage'),
  badTarget: entry('AXU703', (text: string) => `--target takes violations<=R (the violation rate of delivered outputs, R in [0, 1]) or error<=E (their mean error, E >= 0); got '${text}'`, 'usage'),
  badHoldout: entry('AXU703', (text: string) => `--holdout takes the fraction of rows to hold out, from 0 up to (not including) 1; got '${text}'`, 'usage'),
  badTuneSeed: entry('AXU703', (text: string, max: number) => `--seed takes a whole number from 0 to ${max}; got '${text}'`, 'usage'),
  tuneNoDecision: entry('AXU703', (bin: string) => `${bin} has no decision instruction (decs or decm): the NPU runs on every sample, so there is no threshold to tune`, 'usage'),
  tuneMixedDecisions: entry('AXU703', (bin: string) => `${bin} mixes sigmoid (decs) and softmax (decm) decisions; axc tune sets one threshold for one kind of decision`, 'usage'),
  holdoutLeavesNothing: entry('AXU703', (holdout: string, rows: number) => `--holdout ${holdout} leaves no calibration rows out of ${rows}`, 'usage'),
  // how diagnostics are shown, and where outputs go
  moreErrors: entry('AXU704', (n: number) => `${n} more error${n === 1 ? '' : 's'} like these not shown`),
  outputIsInput: entry('AXU705', (output: string, input: string) => `${output} is the same file as ${input}; an output never overwrites an input`, 'usage'),
  outputsCollide: entry('AXU706', (first: string, second: string) => `${first} and ${second} are the same file; give each output its own path`, 'usage'),
  stdoutUnwritable: entry('AXU707', (systemError: string) => `cannot write to standard output: ${systemError}`),
  // reading bounds and file kinds (issue 8)
  jsonTooDeep: entry('AXU708', (what: string, max: number) => `${what} nests arrays and objects more than ${max} deep; this bracket opens level ${max + 1}`),
  wrongKindOfFile: entry('AXU709', (what: string, expected: string, advice: string) => `this is ${what}, not ${expected}; ${advice}`),
  jsonArrayTooLong: entry('AXU710', (what: string, max: number) => `${what} has an array of more than ${max.toLocaleString('en-US')} elements; this value is element ${(max + 1).toLocaleString('en-US')}`),
  // `axc sim --threshold T` (cli/threshold-option.ts)
  simThresholdNotDecimal: entry('AXU711', (text: string) => `--threshold ${quote(text)} is not a plain decimal number; ${THRESHOLD_RULE}`, 'usage'),
  simThresholdOutOfRange: entry('AXU711', (text: string) => `--threshold ${quote(text)} is not strictly between 0 and 1 (as a float32); ${THRESHOLD_RULE}`, 'usage'),
  simNoDecision: entry('AXU712', (bin: string) => `--threshold has nothing to change: '${bin}' has no decision instruction (decs or decm), so it invokes the approximator on every sample`, 'usage'),
  // quality judging (--reference, --metric, --bound) and axc tune
  referenceNoBenchmark: entry('AXU720', (model: string) => `--reference exact computes the reference with the benchmark the model names, and model ${quote(model)} names none; give a file of exact outputs, or add \`benchmark NAME\` to the model`, 'usage'),
  noQualityMetric: entry('AXU721', (model: string) => `model ${quote(model)} has no \`quality\` line, so there is no metric to judge its outputs by; give --metric abs|rel|rmse and --bound B`, 'usage'),
  targetUnreachable: entry('AXU722', (target: string, rows: number, best: string) => `no decision threshold meets ${target} on the ${rows.toLocaleString('en-US')} calibration rows: ${best}; nothing written`),
  // warnings (severity 'warning'): the run goes on, but a figure or a file is not what it may seem
  fewCalibrationRows: warning('AXU723', (rows: number) => `the threshold is chosen on only ${rows} calibration row${rows === 1 ? '' : 's'}; its figures say little about other data`),
  // axc sweep and axc worker (issue 13)
  sweepSyntax: entry('AXW801', (why: string) => `sweep spec is not valid YAML or JSON: ${clip(why, 200)}`),
  sweepField: entry('AXW802', (field: string, why: string) => `sweep spec field ${quote(field)}: ${why}`),
  sweepFileMissing: entry('AXW803', (path: string, why: string) => `${quote(path)} cannot be read: ${clip(why, 200)}`),
  sweepUnknownAxis: entry('AXW804', (axis: string) => `axis ${quote(axis)} is neither a hardware field (by dotted path, such as bus.dataBuses) nor a compile option (schedule, batch, threshold)`),
  sweepAxisValue: entry('AXW805', (axis: string, why: string) => `a value of axis ${quote(axis)} cannot be used: ${clip(why, 200)}`),
  sweepObjective: entry('AXW806', (field: string) => `objective ${quote(field)} is not a number field of the run report (such as energy.perSamplePj or cycles.perSample.mean; -field maximises)`),
  workerPathEscapes: entry('AXW810', (path: string, root: string) => `job names ${quote(path)}, which lies outside the worker's root ${quote(root, 200)}`),
  workerPathUnreadable: entry('AXW812', (path: string, root: string, why: string) => `job names ${quote(path)}, which cannot be read under the worker's root ${quote(root, 200)}: ${clip(why, 200)}`),
  queueUnreachable: entry('AXW813', (host: string) => `the queue's Redis at ${quote(host)} does not answer (refused, or no reply within 10 s); is redis-server running there, and reachable from here?`),
  workerJobInvalid: entry('AXW811', (why: string) => `job is malformed: ${clip(why, 200)}`),
  badQueueUrl: entry('AXU728', (url: string) => `--queue takes redis://host:port or rediss://user:password@host:port; got ${quote(url)}`, 'usage'),
  badDatapathOption: entry('AXU725', (why: string) => `--datapath: ${clip(why, 200)}`, 'usage'),
  calibrateWithoutInt8: warning('AXU726', (datapath: string) => `--calibrate sets int8 scales, but this datapath (${datapath}) has none to set; the rows were not read`),
  shadowInFp32: warning('AXU727', () => '--shadow fp32 compares a binary outside fp32 with fp32, and this binary computes in fp32: nothing to compare, no quantization section'),
  tracePastInput: warning('AXU724', (range: string, samples: number, traced: string) => `--trace-samples ${range} reaches past the input's ${samples} sample${samples === 1 ? '' : 's'}; the trace ${traced}`),

  // benchmarks: their names (wherever given), the data generators (benchmarks/generators/), `axc data` and `axc exact`.
  // An unknown name read from a file (a .axn `benchmark` line) is bad input; one typed on the command line is
  // reported as fromCommandLine(DIAG.unknownBenchmark), a usage error.
  unknownBenchmark: entry('AXD901', (name: string, known: string) => `unknown benchmark ${quote(name)}; known benchmarks: ${known}`),
  dataBadCount: entry('AXD902', (text: string, max: number) => `the sample count must be a whole number from 1 to ${max}, got '${text}'`, 'usage'),
  dataBadSeed: entry('AXD903', (text: string) => `the seed must be a whole number from 0 to 4294967295, got '${text}'`, 'usage'),

  // TensorFlow.js / Keras LayersModel importer (frontend/layers-model/)
  // AXI801: the JSON parser's words (as frontend/layers-model/read-layers-model.ts words its codes), or an empty file
  tfjsJsonSyntax: entry('AXI801', (parserError: string) => `model.json is not valid JSON: ${parserError}`),
  tfjsJsonEmpty: entry('AXI801', () => 'model.json is not valid JSON: the file is empty'),
  // AXI802: some other kind of JSON file
  tfjsNotAnObject: entry('AXI802', (holds: string) => notLayersModel(`model.json holds ${holds}; a LayersModel's model.json is an object with "modelTopology" and "weightsManifest"`)),
  tfjsWrongFormat: entry('AXI802', (format: string) => notLayersModel(`its format is "${clip(format)}"${format === 'graph-model' ? ' (converted from a SavedModel or frozen graph); convert the Keras model instead: tensorflowjs_converter --input_format keras model.h5 out_dir/' : ''}; axc reads "layers-model" files`)),
  tfjsNoTopology: entry('AXI802', () => notLayersModel('model.json has no "modelTopology" (the Keras model architecture)')),
  tfjsNoManifest: entry('AXI802', () => notLayersModel('model.json has no "weightsManifest" (the list of weight shards and the weights in them)')),
  tfjsTopologyClass: entry('AXI802', (className: unknown) => notLayersModel(`modelTopology's class_name is ${typeof className === 'string' ? `"${clip(className)}"` : clip(String(JSON.stringify(className)))}; expected "Model", "Functional" or "Sequential"`)),
  tfjsTopologyShape: entry('AXI802', () => notLayersModel('modelTopology is neither a Keras model ({ "class_name", "config" }) nor a model config ({ "name", "layers", ... })')),
  // AXI803: a value in model.json; the schema's words (zod), or what axc found wrong with it
  tfjsMalformed: entry('AXI803', (where: string, schemaIssue: string) => `${where}: ${schemaIssue}`),
  tfjsBadTensorRef: entry('AXI803', (layer: string, index: number) => `layer ${quote(layer)} inbound_nodes[0][${index}]: expected a tensor reference [layerName, nodeIndex, tensorIndex, kwargs]`),
  tfjsBadKerasHistory: entry('AXI803', (layer: string) => `layer ${quote(layer)} inbound_nodes[0]: a __keras_tensor__ has no valid keras_history [layerName, nodeIndex, tensorIndex]`),
  tfjsBadInboundNodes: entry('AXI803', (layer: string) => `layer ${quote(layer)} inbound_nodes[0]: expected a list of tensor references or { "args": [...] }`),
  tfjsUnknownBenchmark: entry('AXI803', (name: string) => `userDefinedMetadata.axc.benchmark: ${quote(name)} is not a known benchmark`),
  tfjsBenchmarkWidth: entry('AXI803', (name: string, bin: number, bout: number, min: number, mout: number) => `userDefinedMetadata.axc.benchmark: ${quote(name)} maps ${bin} input${bin === 1 ? '' : 's'} to ${bout} output${bout === 1 ? '' : 's'}, but the model maps ${min} to ${mout}; its exact function computes the samples the model rejects`),
  tfjsWeightUnlocatable: entry('AXI803', (where: string, blocker: string, dtype: string, weight: string) => `${where}: weight ${quote(blocker)} has dtype ${quote(dtype)}, whose size axc cannot compute, so weight ${quote(weight)} after it cannot be located in the shards`),
  tfjsGroupWithoutShards: entry('AXI803', (group: number, bytes: number) => `weightsManifest[${group}].paths: the group lists no shard files but holds ${bytes} bytes of weights`),
  tfjsUnsupportedLayer: entry('AXI804', (layer: string, cls: string) => `layer ${quote(layer)} is a ${clip(cls)}; an AXNet model holds only Dense and Multiply layers (and its InputLayer)`),
  tfjsUnsupportedActivation: entry('AXI805', (layer: string, act: string, expected: string) => `layer ${quote(layer)} has activation ${quote(act)}; ${expected}`),
  // AXI806: a Multiply that is not an AXNet gate
  tfjsMultiplyArity: entry('AXI806', (layer: string, tensors: number) => badMultiply(layer, `multiplies ${tensors} tensors; an AXNet gate multiplies exactly two: a hidden Dense and its control Dense`)),
  tfjsGateWithoutPredictor: entry('AXI806', (layer: string, sequential: boolean) => badMultiply(layer, `gates the approximator, but the model has ${sequential ? 'no predictor (it is Sequential)' : 'one output and so no predictor'}; a gated AXNet model has two outputs [H(x), P(x)]`)),
  tfjsGateOperands: entry('AXI806', (layer: string, first: string, second: string, predictor: string) => badMultiply(layer, `multiplies ${first} by ${second}; one operand must be an approximator hidden Dense and the other a control Dense fed by ${predictor}`)),
  tfjsControlShared: entry('AXI806', (layer: string, control: string) => badMultiply(layer, `uses control Dense ${quote(control)}, which already gates another layer; each control Dense feeds exactly one Multiply`)),
  tfjsWeightShape: entry('AXI807', (weight: string, layer: string, got: string, expected: string, why: string) => `weight ${quote(weight)} of layer ${quote(layer)} has shape ${got} in the weightsManifest, expected ${expected} (${why})`),
  tfjsShardUnreadable: entry('AXI808', (shard: string, why: string) => `cannot read weight shard ${quote(shard)}: ${why}`),
  tfjsShardShort: entry('AXI809', (shard: string, why: string) => `weight shard ${quote(shard)} is too short: ${why}`),
  tfjsWeightDtype: entry('AXI810', (weight: string, layer: string, dtype: string) => `weight ${quote(weight)} of layer ${quote(layer)} has dtype ${quote(dtype)}; axc reads float32 weights only (re-export without --quantize / float16 conversion)`),
  tfjsWeightQuantized: entry('AXI811', (weight: string, layer: string, how: string) => `weight ${quote(weight)} of layer ${quote(layer)} is quantized (${how}); axc reads unquantized float32 weights only (convert without --quantize_*)`),
  tfjsWeightMissing: entry('AXI812', (layer: string, what: string, lookedFor: string) => `layer ${quote(layer)} has no ${what} in the weightsManifest (looked for ${quote(lookedFor)})`),
  // AXI813: the model's shape as a whole is not AXNet's
  tfjsInputCount: entry('AXI813', (inputs: number) => notAxnet(`the model has ${inputs} inputs; an AXNet model has exactly one input vector`)),
  tfjsOutputCount: entry('AXI813', (outputs: number) => notAxnet(`the model has ${outputs} outputs; an AXNet model has two, [approximator H(x), decision P(x)], or one for a plain approximator`)),
  tfjsNoLayers: entry('AXI813', () => notAxnet('the Sequential model has no layers')),
  tfjsControlWidth: entry('AXI814', (control: string, w: number, layer: string, lw: number, mult: string) => `control Dense ${quote(control)} has ${w} units but the layer it gates, ${quote(layer)} (through Multiply ${quote(mult)}), has ${lw}; a control vector is as wide as the layer it gates`),
  tfjsDecisionNotDense: entry('AXI815', (layer: string, className: string) => badDecision(layer, `(output 1) is a ${clip(className)}`)),
  tfjsDecisionShape: entry('AXI815', (layer: string, units: number, activation: string) => badDecision(layer, `(output 1) has ${units} unit${units === 1 ? '' : 's'} with ${activation} activation`)),
  tfjsOutputOrder: entry('AXI816', (first: string, second: string) => `output 0 ${quote(first)} has the shape of a decision and output 1 ${quote(second)} does not; axc takes the outputs by position: output_layers[0] is the approximator H(x) and output_layers[1] the decision P(x). Rebuild the model with outputs [H, P]`),
  // AXI817: how the layers are wired; one entry per rule
  tfjsSequentialNoInputShape: entry('AXI817', (layer: string) => `the Sequential model's first layer ${quote(layer)} declares no input shape; ${NEEDS_INPUT_WIDTH}`),
  tfjsInputNoShape: entry('AXI817', (layer: string) => `input layer ${quote(layer)} declares no batch_input_shape; ${NEEDS_INPUT_WIDTH}`),
  tfjsLayerNameTwice: entry('AXI817', (layer: string) => `two layers are named ${quote(layer)}; Keras layer names are unique`),
  tfjsLayerReused: entry('AXI817', (layer: string, calls: number) => `layer ${quote(layer)} is applied ${calls} times; each layer of an AXNet model is applied once`),
  tfjsRefToNothing: entry('AXI817', (where: string, layer: string) => `${where} refers to layer ${quote(layer)}, which is not in the model`),
  tfjsRefNotFirst: entry('AXI817', (where: string, node: number, tensor: number, layer: string) => `${where} refers to output [${node}, ${tensor}] of layer ${quote(layer)}; AXNet layers have one call and one output, [0, 0]`),
  tfjsDenseInputs: entry('AXI817', (layer: string, inputs: number) => `Dense layer ${quote(layer)} has ${inputs} inputs; expected 1`),
  tfjsInputHasInbound: entry('AXI817', (layer: string) => `input layer ${quote(layer)} has inbound tensors; expected none`),
  tfjsInputNotInputLayer: entry('AXI817', (layer: string, className: string) => `input_layers names ${quote(layer)}, a ${clip(className)}; expected the InputLayer`),
  tfjsCycle: entry('AXI817', (layer: string) => `layer ${quote(layer)} feeds itself through a cycle`),
  tfjsTwoRoles: entry('AXI817', (layer: string, first: string, second: string) => `layer ${quote(layer)} is used as ${first} and as ${second}; in an AXNet model each layer has one role (its output feeds one place)`),
  tfjsDecisionThrough: entry('AXI817', (decision: string, className: string, layer: string) => `the decision ${quote(decision)} is computed through ${clip(className)} ${quote(layer)}; the predictor is a chain of Dense layers from the input`),
  tfjsOutputIsGate: entry('AXI817', (layer: string) => `output 0 ${quote(layer)} is a Multiply; the approximator ends with an ungated Dense output layer`),
  tfjsOutputNotDense: entry('AXI817', (layer: string, className: string) => `output 0 ${quote(layer)} is the ${clip(className)}; the approximator has at least one Dense layer`),
  tfjsLayerUnused: entry('AXI817', (layer: string, className: string) => `layer ${quote(layer)} (${clip(className)}) is not part of the AXNet pattern: it is not on the approximator, predictor, control or decision path to the outputs`),
  // AXI818: the importer's options (--threshold, --safe-index or their library equivalents)
  tfjsBadThreshold: entry('AXI818', (threshold: number) => `threshold must lie strictly between 0 and 1, got ${threshold}`, 'usage'),
  tfjsBadSafeIndex: entry('AXI818', (safeIndex: number) => `safe index must be 0 or 1, got ${safeIndex}`, 'usage'),
  tfjsWeightNotFinite: entry('AXI819', (weight: string, layer: string, index: number, value: number) => `weight ${quote(weight)} of layer ${quote(layer)} holds ${value} at element ${index}; weights must be finite float32 values`),
  tfjsInvalidModel: entry('AXI820', (why: string) => `imported model fails verification: ${why}`),
  tfjsBadInputShape: entry('AXI821', (layer: string, shape: string) => `input layer ${quote(layer)} has shape ${shape}; an AXNet input is a flat vector, batch shape [null, N] with N ≥ 1`),

  // training (training/, axc train)
  // AXT901: a training option; one entry per rule
  trainNoDefaults: entry('AXT901', (bench: string, known: string) => `'${bench}' has no training defaults (known: ${known}); give the topologies, metric and bound`, 'usage'),
  trainNoDefaultTopology: entry('AXT901', (bench: string) => `no default topology for '${bench}'; give --approx and --predict`, 'usage'),
  trainUnknownMethod: entry('AXT901', (method: string, methods: string) => `unknown method '${method}'; expected ${methods}`, 'usage'),
  trainTestShape: entry('AXT901', () => 'the test data do not have the shape of the training data', 'usage'),
  trainBadControl: entry('AXT901', (hidden: number, approximator: string, control: string | number) => `--control must be 'all' or a hidden layer from 1 to ${hidden} of approximator ${approximator}, got ${control}`, 'usage'),
  trainControlNeedsAxnet: entry('AXT901', (method: string) => `--control applies to --method axnet only (${method} has no control vectors)`, 'usage'),
  trainBadControlBias: entry('AXT901', (method: string, bias: number) => (method === 'axnet' ? `the control bias must be a finite number, got ${bias}` : `a control bias applies to --method axnet only (${method} has no control vectors)`), 'usage'),
  trainUnknownDecision: entry('AXT901', (decision: string) => `unknown decision '${decision}'; expected softmax or sigmoid`, 'usage'),
  trainUnknownMetric: entry('AXT901', (metric: string, metrics: string) => `unknown metric '${metric}'; expected ${metrics}`, 'usage'),
  trainNotPositive: entry('AXT901', (name: string, integer: boolean, value: number) => `${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`, 'usage'),
  trainBadSeed: entry('AXT901', (max: number, seed: number) => `the seed must be an integer from 0 to ${max}, got ${seed}`, 'usage'),
  // AXT902: a topology (such as 9-8-1) that cannot be trained; one entry per rule
  topologyWidths: entry('AXT902', (which: string, given: string, max: number) => topology(which, given, `widths are integers from 1 to ${max}`)),
  approximatorTooShort: entry('AXT902', (given: string) => topology('approximator', given, 'give input, at least one hidden layer and output widths, e.g. 9-8-1')),
  predictorTooShort: entry('AXT902', (given: string) => topology('predictor', given, 'give the input width and the hidden widths, e.g. 9-8')),
  approximatorDataWidths: entry('AXT902', (given: string, inputs: number, outputs: number) => topology('approximator', given, `the data map ${inputs} inputs to ${outputs} outputs, so it must start with ${inputs} and end with ${outputs}`)),
  predictorDataWidth: entry('AXT902', (given: string, inputs: number) => topology('predictor', given, `the data have ${inputs} inputs, so it must start with ${inputs}`)),
  predictorNotShared: entry('AXT902', (given: string, approxIn: number, approxHidden: number) => topology('predictor', given, `with --method shared its first hidden layer is the approximator's, so it must be ${approxIn}-${approxHidden}...`)),
  trainDataShape: entry('AXT903', (bench: string, got: string, want: string) => `the data for '${bench}' map ${got}, but the benchmark maps ${want}`),
  trainDataTooSmall: entry('AXT904', (what: string, n: number, min: number) => `${what} has ${n} samples; at least ${min} are needed`),
  trainDataFolder: entry('AXT905', (dir: string) => `'${dir}' holds no training data: expected train.x and train.y, or a .fann file`),
  trainDiverged: entry('AXT906', (epoch: number, phase: string) => `training diverged: the ${phase} loss is not finite at epoch ${epoch}; try a lower learning rate or another seed`),

  // FANN importer (frontend/fann/): FANN 2.x float save files (.nn), as AxBench, SNNAP and ACCEPT ship them.
  // Codes AXF0xx; each message names the line's feature, and the position is the file:line:col of the text at fault.
  fannNotFann: entry('AXF001', (line: string) => `not a FANN network file: the first line is ${quote(line)}, where FANN's save files start with FANN_FLO_2.1 (or another FANN_FLO_2.x)`),
  fannFixedPoint: entry('AXF002', (version: string) => `the fixed-point format (${version}) is not supported: axc reads the floating-point files fann_save writes (FANN_FLO_2.x), not those of fann_save_to_fixed`),
  fannVersion: entry('AXF003', (version: string) => `FANN save format ${quote(version)} is not supported: axc reads FANN 2.x floating-point files (FANN_FLO_2.0, FANN_FLO_2.1)`),
  fannNotKeyValue: entry('AXF004', (line: string) => `expected a 'key=value' line, found ${quote(line)}`),
  fannDuplicateField: entry('AXF005', (key: string, firstLine: number) => `${quote(key)} is given twice (first on line ${firstLine})`),
  fannMissingField: entry('AXF006', (key: string) => `the file has no ${quote(`${key}=`)} line; fann_save writes one in every network file`),
  fannBadValue: entry('AXF007', (key: string, value: string, expected: string) => `${key}=${clip(value)}: expected ${expected}`),
  fannSparse: entry('AXF008', (rate: string) => `sparse networks (connection_rate=${clip(rate)}) are not supported: axc imports fully connected networks (connection_rate=1)`),
  fannShortcut: entry('AXF009', (type: number) => `shortcut networks (network_type=${type}) are not supported: axc imports layered networks (network_type=0), where each layer connects only to the one before`),
  fannLayerCount: entry('AXF010', (numLayers: number, listed: number) => `num_layers=${numLayers}, but layer_sizes lists ${listed} layer${listed === 1 ? '' : 's'}`),
  fannNeuronCount: entry('AXF011', (expected: number, found: number) => `layer_sizes adds up to ${expected} neurons (bias neurons included), but the neurons line lists ${found}`),
  fannConnectionCount: entry('AXF012', (expected: number, found: number) => `a fully connected network of these layer sizes has ${expected} connections, but the connections line lists ${found}`),
  fannBadTuple: entry('AXF013', (what: string, index: number, shape: string, found: string) => `${what} ${index}: expected ${shape}, found ${quote(found)}`),
  fannNotFullyConnected: entry('AXF014', (neuron: number, role: string, inputs: number, expected: number) => `neuron ${neuron}, ${role}, has ${inputs} input${inputs === 1 ? '' : 's'} where a fully connected layered network has ${expected}; sparse and shortcut networks are not supported`),
  fannConnectionOrder: entry('AXF015', (k: number, neuron: number, from: number, expected: number) => `connection ${k} (into neuron ${neuron}) comes from neuron ${from}, where a fully connected network has neuron ${expected}: each neuron's connections run over the previous layer in order, its bias neuron last`),
  fannBadWeight: entry('AXF016', (k: number, neuron: number, value: string) => `connection ${k} (into neuron ${neuron}) has weight ${clip(value)}; weights must be finite float32 values`),
  fannUnknownActivation: entry('AXF017', (neuron: number, code: number, max: number) => `neuron ${neuron}: activation function ${code} is not one of FANN's (0 to ${max})`),
  fannActivation: entry('AXF018', (name: string, code: number, neuron: number, mapped: string) => `activation function ${name} (${code}) of neuron ${neuron} is not supported: an NPU layer computes ${mapped}`),
  fannMixedActivations: entry('AXF019', (layer: number, neuron: number, other: string, first: number, name: string) => `layer ${layer} mixes activation functions: neuron ${neuron} uses ${other}, neuron ${first} ${name}; an NPU layer applies one function to all its neurons`),
  fannBadSteepness: entry('AXF020', (neuron: number, value: string) => `neuron ${neuron} has activation steepness ${clip(value)}; axc folds the steepness into the weights and needs it positive and finite`),
  fannInvalidModel: entry('AXF021', (why: string) => `imported network fails verification: ${why}`),
  fannScaleIgnored: warning('AXF022', () => `the file holds input and output scaling (scale_included=1); like fann_run, the imported model does not apply it: scale the samples as the program that calls fann_run does`),
  fannFoldOverflow: entry('AXF023', (k: number, neuron: number, weight: string, steepness: string) => `connection ${k} (into neuron ${neuron}): weight ${clip(weight)} scaled by the steepness ${clip(steepness)} is beyond float32; axc folds the steepness into the weights`),
  fannClampedSteepness: entry('AXF024', (neuron: number, fn: string, steepness: string, edge: number) => `neuron ${neuron} (${fn}) has steepness ${clip(steepness)}: fann_run clamps s·v at ±${edge.toPrecision(4)}, where the function has not saturated, and the NPU does not clamp; axc imports sigmoid and tanh neurons whose steepness keeps the clamp out of reach`),
  fannLinearClamp: warning('AXF025', (layer: number, neuron: number, edge: number) => `layer ${layer} is linear and its inputs are unbounded: fann_run clamps its outputs at ±${edge.toPrecision(4)} (neuron ${neuron} first), the NPU does not, so outputs beyond that differ from FANN's`),
  // -- FANN entries end here --

  // ONNX importer and exporter (frontend/onnx/). ONNX has no lines: each message names the node (op type and
  // name) or the initializer at fault, and the diagnostic carries the file. Codes AXO0xx.
  // Importer (frontend/onnx/read-onnx.ts). A `tensor` argument is already quoted: "initializer 'h1.weight'" or
  // "the value of Constant node 'c'"; a `node` is the node's name, or #i (its index in graph.node) when unnamed.
  // AXO001: not an ONNX model at all
  onnxEmpty: entry('AXO001', () => 'not an ONNX model: the file is empty'),
  onnxOtherKind: entry('AXO001', (what: string) => `not an ONNX model: this is ${what}; an ONNX model is a binary protobuf ModelProto (torch.onnx.export writes one)`),
  onnxDecodeFailed: entry('AXO001', (why: string) => `not an ONNX model: the file does not decode as an ONNX ModelProto (protobuf: ${clip(why)})`),
  onnxNoGraph: entry('AXO002', () => 'the ONNX model has no graph (ModelProto.graph is missing)'),
  // AXO003: operator sets
  onnxNoDefaultOpset: entry('AXO003', (imported: string) => `the model imports no opset of the default domain ai.onnx (opset_import: ${clip(imported)}); axc reads models made of standard ONNX operators`),
  onnxOpsetVersion: entry('AXO003', (version: number, from: number, to: number) => `the model imports opset ${version} of the default domain ai.onnx; axc reads opsets ${from} to ${to}, the versions whose operator definitions it knows`),
  onnxOpsetTwice: entry('AXO003', (imported: string) => `the model imports the default domain ai.onnx more than once (opset_import: ${clip(imported)}); a model imports each domain once, else the version of its operators is ambiguous`),
  onnxNodeDomain: entry('AXO003', (op: string, node: string, domain: string) => `${clip(op)} node ${quote(node)} is in domain ${quote(domain)}; axc reads operators of the default ONNX domain (ai.onnx) only`),
  // AXO004: the graph's inputs and outputs
  onnxInputCount: entry('AXO004', (count: number, names: string) => `not an AXNet model: the graph has ${count} inputs${names}; an AXNet model has exactly one input vector (initializers listed as graph inputs do not count)`),
  onnxOutputCount: entry('AXO004', (count: number) => `not an AXNet model: the graph has ${count} outputs; an AXNet model has two, [approximator H(x), decision P(x)], or one for a plain approximator`),
  onnxInputType: entry('AXO005', (input: string, type: string) => `graph input ${quote(input)} has element type ${clip(type)}; an AXNet input is a FLOAT tensor [batch, N]`),
  onnxInputShape: entry('AXO005', (input: string, shape: string) => `graph input ${quote(input)} has shape ${clip(shape)}; an AXNet input is a flat vector, shape [batch, N] with N a known positive number`),
  onnxOutputType: entry('AXO005', (index: number, output: string, type: string) => `graph output ${index} ${quote(output)} has element type ${clip(type)}; an AXNet's outputs are FLOAT tensors`),
  onnxUnsupportedOp: entry('AXO006', (op: string, node: string) => `${clip(op)} node ${quote(node)} is not part of what axc reads: an AXNet model holds Gemm, MatMul, Add (a bias), Relu, Sigmoid, Tanh, Mul (a gate), Slice, Split and Softmax nodes, and Identity, Flatten, Dropout and Constant nodes that pass values through`),
  // AXO007: a node's attributes or arity; one entry per rule
  onnxNodeArity: entry('AXO007', (op: string, node: string, inputs: number, expected: string) => `${clip(op)} node ${quote(node)} has ${inputs} input${inputs === 1 ? '' : 's'}; expected ${expected}`),
  onnxNodeOutputs: entry('AXO007', (op: string, node: string, outputs: number) => `${clip(op)} node ${quote(node)} has ${outputs} outputs; expected 1`),
  onnxUnknownAttribute: entry('AXO007', (op: string, node: string, attribute: string, known: string) => `${clip(op)} node ${quote(node)} has attribute ${quote(attribute)}, which axc does not read; ${known}`),
  onnxAttributeType: entry('AXO007', (op: string, node: string, attribute: string, type: string, expected: string) => `${clip(op)} node ${quote(node)} has attribute ${quote(attribute)} of type ${type}; expected ${expected}`),
  onnxAttributeOpset: entry('AXO007', (op: string, node: string, attribute: string, opset: number, why: string) => `${clip(op)} node ${quote(node)} has attribute ${quote(attribute)}, which ${clip(op)} does not have at opset ${opset}: ${why}`),
  onnxGemmAttribute: entry('AXO007', (op: string, node: string, attribute: string, value: string) => `${clip(op)} node ${quote(node)} has ${attribute} = ${clip(value)}; an AXNet dense layer is Gemm(X, W, C) with transA = 0, alpha = 1 and beta = 1 (transB 0 or 1)`),
  onnxFlattenAxis: entry('AXO007', (op: string, node: string, axis: number) => `${clip(op)} node ${quote(node)} has axis = ${axis}; axc passes a Flatten through only with axis 1 (or -1), which leaves a [batch, N] tensor as it is`),
  onnxDropoutTraining: entry('AXO007', (op: string, node: string, why: string) => `${clip(op)} node ${quote(node)} ${why}; axc passes a Dropout through only in inference mode (no training_mode input, or a constant false one) with its mask output unused`),
  onnxSoftmaxAxis: entry('AXO007', (op: string, node: string, axis: number) => `${clip(op)} node ${quote(node)} has axis = ${axis}; the decision's Softmax runs over the logits, axis 1 (or -1)`),
  onnxConstantValue: entry('AXO007', (op: string, node: string, attributes: string) => `${clip(op)} node ${quote(node)} has ${attributes}; axc reads a Constant's 'value' tensor only`),
  onnxUnknownDimension: entry('AXO007', (op: string, node: string, what: string) => `${clip(op)} node ${quote(node)} ${what}`),
  // AXO008: how the predictor's output is cut (Slice, Split)
  onnxSliceNotConstant: entry('AXO008', (op: string, node: string, which: string, tensor: string) => `${clip(op)} node ${quote(node)} takes its ${which} from tensor ${quote(tensor)}, which is computed; the bounds of a Slice are initializers or Constant nodes`),
  onnxSliceAxis: entry('AXO008', (op: string, node: string, axes: string) => `${clip(op)} node ${quote(node)} slices axes ${clip(axes)}; a predictor output is cut along its feature axis only (axes [1] or [-1])`),
  onnxSliceStep: entry('AXO008', (op: string, node: string, steps: string) => `${clip(op)} node ${quote(node)} has steps ${clip(steps)}; a control segment or the decision is a contiguous row range (steps [1])`),
  onnxSliceEmpty: entry('AXO008', (op: string, node: string, start: number, end: number, width: number) => `${clip(op)} node ${quote(node)} selects rows [${start}, ${end}) of a ${width}-wide tensor, which hold no value`),
  onnxSplitAxis: entry('AXO008', (op: string, node: string, axis: number) => `${clip(op)} node ${quote(node)} splits axis ${axis}; a predictor output is split along its feature axis (axis 1 or -1)`),
  onnxSplitSizes: entry('AXO008', (op: string, node: string, why: string) => `${clip(op)} node ${quote(node)} ${why}`),
  onnxCutSource: entry('AXO008', (op: string, node: string, what: string) => `${clip(op)} node ${quote(node)} cuts ${what}; a Slice or Split cuts the predictor's output layer (a dense layer without activation on the predictor's last hidden layer or on the input)`),
  // AXO009: the rows of a predictor output layer: each feeds exactly one control segment or the decision
  onnxRowsUnused: entry('AXO009', (op: string, node: string, from: number, to: number) => `rows [${from}, ${to}) of the predictor output computed by ${clip(op)} node ${quote(node)} reach neither a control gate nor the decision; its rows are cut exactly into [control segments..., decision]`),
  onnxRowsTwice: entry('AXO009', (op: string, node: string, from: number, to: number) => `rows [${from}, ${to}) of the predictor output computed by ${clip(op)} node ${quote(node)} are used by two segments; its rows are cut exactly into [control segments..., decision]`),
  // AXO010-AXO015: tensors (initializers and Constant values)
  onnxTensorType: entry('AXO010', (tensor: string, use: string, type: string, expected: string) => `${tensor} (${use}) has data type ${clip(type)}; expected ${expected}`),
  onnxTensorNotFinite: entry('AXO011', (tensor: string, use: string, index: number, value: number) => `${tensor} (${use}) holds ${value} at element ${index}; weights must be finite float32 values`),
  onnxTensorSize: entry('AXO012', (tensor: string, dims: string, why: string) => `${tensor} has dims ${clip(dims)}: ${why}`),
  onnxExternalLocation: entry('AXO013', (tensor: string, location: string, why: string) => `${tensor} is stored in external file ${quote(location)}, which axc does not read: ${why}`),
  onnxExternalUnreadable: entry('AXO013', (tensor: string, location: string, why: string) => `cannot read the external data of ${tensor} from ${quote(location)}: ${why}`),
  onnxExternalShort: entry('AXO013', (tensor: string, location: string, why: string) => `the external data of ${tensor} in ${quote(location)} is cut short: ${why}`),
  onnxExternalField: entry('AXO013', (tensor: string, why: string) => `${tensor} has malformed external_data: ${why}`),
  onnxNotConstant: entry('AXO014', (op: string, node: string, role: string, tensor: string) => `${clip(op)} node ${quote(node)} takes its ${role} from tensor ${quote(tensor)}, which is computed; an AXNet layer's weights and bias are initializers (or Constant nodes)`),
  onnxWeightShape: entry('AXO015', (tensor: string, op: string, node: string, dims: string, expected: string, why: string) => `${tensor} of ${clip(op)} node ${quote(node)} has dims ${clip(dims)}, expected ${clip(expected)} (${why})`),
  // AXO016-AXO019: the graph's wiring
  onnxTensorProducedTwice: entry('AXO016', (tensor: string, op: string, node: string, already: string) => `${clip(op)} node ${quote(node)} produces tensor ${quote(tensor)}, which ${already}; an ONNX tensor has one producer`),
  onnxTensorUndefined: entry('AXO017', (op: string, node: string, tensor: string) => `${clip(op)} node ${quote(node)} reads tensor ${quote(tensor)}, which is no graph input, initializer or node output`),
  onnxOutputUndefined: entry('AXO017', (index: number, tensor: string) => `graph output ${index} ${quote(tensor)} is no node output, graph input or initializer`),
  onnxCycle: entry('AXO017', (op: string, node: string) => `${clip(op)} node ${quote(node)} feeds itself through a cycle`),
  onnxTwoRoles: entry('AXO018', (op: string, node: string, first: string, second: string) => `${clip(op)} node ${quote(node)} is used as ${first} and as ${second}; in an AXNet model each node has one role (its output feeds one place)`),
  onnxNodeUnused: entry('AXO019', (op: string, node: string) => `${clip(op)} node ${quote(node)} is not part of the AXNet pattern: it is not on the approximator, predictor, control or decision path to the outputs`),
  // AXO020: the approximator and predictor chains
  onnxOutputNotLayer: entry('AXO020', (index: number, tensor: string, what: string) => `graph output ${index} ${quote(tensor)} is ${what}; the approximator ends with an ungated dense layer (Gemm, or MatMul with an optional Add, then optionally Relu, Sigmoid or Tanh)`),
  onnxNotALayer: entry('AXO020', (where: string, what: string) => `${where} is ${what}; expected a dense layer (Gemm, or MatMul with an optional Add, then optionally Relu, Sigmoid or Tanh)`),
  onnxAddNotBias: entry('AXO020', (op: string, node: string, why: string) => `${clip(op)} node ${quote(node)} ${why}; axc reads an Add only as the bias of a MatMul: Add(MatMul(X, W), b) with b an initializer`),
  onnxMatMulOperands: entry('AXO020', (op: string, node: string, why: string) => `${clip(op)} node ${quote(node)} ${why}; an AXNet dense layer is MatMul(X, W) with W an initializer [in, out]`),
  // AXO021: gates (Mul)
  onnxGateWithoutPredictor: entry('AXO021', (op: string, node: string) => `${clip(op)} node ${quote(node)} gates the approximator, but the graph has one output and so no predictor; a gated AXNet model has two outputs [H(x), P(x)]`),
  onnxGateOperands: entry('AXO021', (op: string, node: string, first: string, second: string, predictor: string) => `${clip(op)} node ${quote(node)} multiplies ${first} by ${second}; one operand must be an approximator hidden layer and the other a control: a segment of the predictor's output layer, or a dense layer on ${predictor}`),
  onnxControlShared: entry('AXO021', (op: string, node: string, control: string) => `${clip(op)} node ${quote(node)} uses control ${quote(control)}, which already gates another layer; each control gates exactly one layer`),
  onnxControlWidth: entry('AXO021', (control: string, width: number, layer: string, layerWidth: number, op: string, node: string) => `control ${quote(control)} has ${width} value${width === 1 ? '' : 's'} but the layer it gates, ${quote(layer)} (through ${clip(op)} node ${quote(node)}), has ${layerWidth}; a control vector is as wide as the layer it gates`),
  onnxGateOnOutput: entry('AXO021', (op: string, node: string) => `${clip(op)} node ${quote(node)} gates a layer that is not an approximator hidden layer; only the approximator's hidden layers are gated (h = f(a) * c)`),
  // AXO022: the decision (graph output 1)
  onnxDecisionOp: entry('AXO022', (tensor: string, what: string) => `graph output 1 ${quote(tensor)} is ${what}; the decision is a Softmax over 2 logits or a Sigmoid over 1 logit`),
  onnxDecisionWidth: entry('AXO022', (op: string, node: string, width: number) => `${clip(op)} node ${quote(node)} (graph output 1) runs over ${width} logit${width === 1 ? '' : 's'}; the decision is a Softmax over 2 logits or a Sigmoid over 1 logit`),
  onnxDecisionLogits: entry('AXO022', (op: string, node: string, what: string) => `${clip(op)} node ${quote(node)} (the decision) takes its logits from ${what}; the logits are a dense layer on the predictor (without activation) or a segment of the predictor's output layer`),
  onnxMisplacedActivation: entry('AXO022', (op: string, node: string) => `${clip(op)} node ${quote(node)} is not graph output 1; Softmax computes only the decision`),
  onnxOutputOrder: entry('AXO023', (first: string, second: string) => `graph output 0 ${quote(first)} has the shape of a decision and output 1 ${quote(second)} does not; axc takes the outputs by position: output 0 is the approximator H(x) and output 1 the decision P(x). Export the model with outputs (H, P)`),
  // AXO024: the importer's options (--threshold, --safe-index or their library equivalents)
  onnxBadThreshold: entry('AXO024', (threshold: number) => `threshold must lie strictly between 0 and 1, got ${threshold}`, 'usage'),
  onnxBadSafeIndex: entry('AXO024', (safeIndex: number) => `safe index must be 0 or 1, got ${safeIndex}`, 'usage'),
  // AXO025: metadata_props 'axc' (what axc export keeps beside the graph)
  onnxMetadataJson: entry('AXO025', (why: string) => `metadata_props 'axc' is not valid JSON: ${clip(why)}`),
  onnxMetadataField: entry('AXO025', (where: string, issue: string) => `metadata_props 'axc'${where}: ${clip(issue)}`),
  onnxUnknownBenchmark: entry('AXO025', (name: string) => `metadata_props 'axc' benchmark: ${quote(name)} is not a known benchmark`),
  onnxBenchmarkWidth: entry('AXO025', (name: string, bin: number, bout: number, min: number, mout: number) => `metadata_props 'axc' benchmark: ${quote(name)} maps ${bin} input${bin === 1 ? '' : 's'} to ${bout} output${bout === 1 ? '' : 's'}, but the model maps ${min} to ${mout}; its exact function computes the samples the model rejects`),
  onnxInvalidModel: entry('AXO026', (why: string) => `imported model fails verification: ${why}`),
  // AXO027: a layer larger than the NPU's instruction fields allow, refused before its weights are read
  onnxLayerTooLarge: entry('AXO027', (tensor: string, op: string, node: string, dims: string, why: string) => `${tensor} of ${clip(op)} node ${quote(node)} has dims ${clip(dims)}: ${why}`),
  onnxPredictorTooLarge: entry('AXO027', (heads: string, rows: number, inWidth: number, why: string) => `the predictor's output layer, stacked from ${clip(heads, 300)}, has ${rows} rows of ${inWidth} weights: ${why}`),
  // -- ONNX importer entries end here --
  // -- ONNX entries end here --
} as const;

export type DiagEntry = (typeof DIAG)[keyof typeof DIAG];
