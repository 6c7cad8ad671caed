// What kind of file the user gave, judged from its first bytes, so that a loader handed the wrong kind says
// so in one line (what the file is and which command takes it) instead of hundreds of lexer errors.
// It belongs to the frontend, above isa/ and hardware/, because it recognises their formats by their own
// definitions (the binary's magic, the hardware description's field names).

import { DIAG } from '../diagnostics/catalog.ts';
import { diag, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { HardwareFields } from '../hardware/description.ts';
import { BINARY_MAGIC } from '../isa/container.ts';

export type FileKind = 'binary' | 'axn' | 'tfjs' | 'fann' | 'onnx' | 'weights' | 'hardware' | 'samples' | 'assembly' | 'data' | 'text';

/** Enough of a file to tell its kind; sniffing never reads more, whatever the file's size. */
const HEAD_BYTES = 64 * 1024;

const HARDWARE_KEY = new RegExp(`^\\s*\\{\\s*"(?:${Object.keys(HardwareFields.shape).join('|')})"\\s*:`);
const NUMBER_LINE = /^[\s,]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:[\s,]+[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)*[\s,]*$/;

/** The text after leading blank lines and whole-line comments starting with one of `marks`. */
function firstMeaningfulLine(head: string, marks: readonly string[]): string {
  for (const line of head.split('\n', 200)) {
    const t = line.trim();
    if (t !== '' && !marks.some((m) => t.startsWith(m))) return t;
  }
  return '';
}

/**
 * An ONNX ModelProto as every exporter writes it: field 1 (ir_version, a small varint) first, then another of
 * the model's fields (producer name or version, domain, model version, doc string, graph, opset imports).
 */
function looksOnnx(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x08 && head[1] >= 1 && head[1] <= 30 && [0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42].includes(head[2]);
}

/** Control bytes other than tab, newline and carriage return: text has none, or almost none. */
function looksBinary(head: Uint8Array): boolean {
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13) control++;
  }
  return control > head.length / 100;
}

export function sniffFileKind(bytes: Uint8Array): FileKind {
  const head = bytes.subarray(0, HEAD_BYTES);
  // The container is a msgpack map whose first entry is the magic string.
  if (Buffer.from(head.subarray(0, 32)).toString('latin1').includes(BINARY_MAGIC)) return 'binary';
  if (looksOnnx(head)) return 'onnx';
  if (looksBinary(head)) return 'data';
  const text = Buffer.from(head).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*[[{]/.test(text)) {
    if (/"format"\s*:\s*"axc-weights"/.test(text)) return 'weights';
    if (/"(?:modelTopology|weightsManifest)"\s*:/.test(text)) return 'tfjs';
    if (HARDWARE_KEY.test(text)) return 'hardware';
    return 'text';
  }
  if (/^FANN_[A-Z]+_\d/.test(text)) return 'fann';
  if (/^model\b/.test(firstMeaningfulLine(text, ['#', '//']))) return 'axn';
  const asm = firstMeaningfulLine(text, [';']);
  if (/^\.[a-z]+\b/.test(asm)) return 'assembly';
  if (NUMBER_LINE.test(firstMeaningfulLine(text, ['#']))) return 'samples';
  return 'text';
}

/** What each kind is and which command takes it, for the one-line message. */
const DESCRIPTION: Record<FileKind, { what: string; advice: string }> = {
  binary: { what: 'an axc binary', advice: "run it with 'axc sim' or read it with 'axc disasm'" },
  axn: { what: 'an .axn model', advice: "compile it with 'axc compile' or export it with 'axc export'" },
  tfjs: { what: 'a TensorFlow.js model.json', advice: "compile it with 'axc compile' or turn it into an .axn with 'axc import'" },
  onnx: { what: 'an ONNX model', advice: "compile it with 'axc compile' or turn it into an .axn with 'axc import' (name it .onnx)" },
  fann: { what: 'a FANN network', advice: "compile it with 'axc compile' or turn it into an .axn with 'axc import' (name it .nn)" },
  weights: { what: 'an axc weights file', advice: `an .axn model reads it through its 'weights "FILE"' declaration` },
  hardware: { what: 'a hardware description', advice: "give it to 'axc compile', 'axc asm' or 'axc sim' with --npu" },
  samples: { what: 'a file of input samples', advice: "give it to 'axc sim' with --input" },
  assembly: { what: 'NPU assembly source', advice: "assemble it with 'axc asm'" },
  data: { what: 'binary data of a kind axc does not know', advice: 'axc reads .axn models, TensorFlow.js model.json files, FANN .nn files, ONNX .onnx files and the binaries it writes' },
  text: { what: 'a text file', advice: "axc binaries are written by 'axc compile' and 'axc asm'" },
};

/**
 * Null when the file's kind is one of `accepted`; otherwise one positionless error saying what the file is,
 * that it is not `expected`, and which command takes it. ('text' is any text or JSON not recognised above:
 * a loader that accepts it reports its own, positioned errors.)
 */
export function wrongKindOfFile(bytes: Uint8Array, file: string, expected: string, accepted: readonly FileKind[]): Diagnostic | null {
  const kind = sniffFileKind(bytes);
  if (accepted.includes(kind)) return null;
  const d = DESCRIPTION[kind];
  return diag(DIAG.wrongKindOfFile, file, d.what, expected, d.advice);
}
