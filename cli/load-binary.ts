// Reads prog.bin from disk and checks it against an optional --npu hardware description.

import { readFileSync } from 'node:fs';
import { DIAG } from '../diagnostics/catalog.ts';
import { AxcError, fail, describeFsError } from '../diagnostics/diagnostic.ts';
import { canonicalHardware } from '../hardware/description.ts';
import { loadHardwareFile } from '../hardware/load-hardware.ts';
import { unpackBinary, type Binary } from '../isa/container.ts';
import { wrongKindOfFile } from '../frontend/file-kind.ts';

export function readBinaryFile(path: string, npu?: string): Binary {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    fail(DIAG.fileUnreadable, undefined, path, describeFsError(e));
  }
  // Unknown binary data goes on to unpackBinary, which says why it is not a binary (bad magic, truncated).
  const wrongKind = wrongKindOfFile(bytes, path, 'an axc binary', ['binary', 'data']);
  if (wrongKind) throw new AxcError(wrongKind);
  const bin = unpackBinary(bytes, path);
  if (npu) {
    const hw = loadHardwareFile(npu);
    if (canonicalHardware(hw) !== canonicalHardware(bin.hardware)) fail(DIAG.hardwareMismatch, path, `'${bin.hardware.name}'`, `the one in ${npu} ('${hw.name}')`);
  }
  return bin;
}
