// Reads prog.bin from disk and checks it against an optional --npu hardware description.

import { readFileSync } from 'node:fs';
import { DIAG } from '../diagnostics/catalog.ts';
import { fail, describeFsError } from '../diagnostics/diagnostic.ts';
import { canonicalHardware } from '../hardware/description.ts';
import { loadHardwareFile } from '../hardware/load-hardware.ts';
import { unpackBinary, type Binary } from '../isa/container.ts';

export function readBinaryFile(path: string, npu?: string): Binary {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    fail(DIAG.fileUnreadable, undefined, path, describeFsError(e));
  }
  const bin = unpackBinary(bytes, path);
  if (npu) {
    const hw = loadHardwareFile(npu);
    if (canonicalHardware(hw) !== canonicalHardware(bin.hardware)) fail(DIAG.hardwareMismatch, path, `'${bin.hardware.name}'`, `the one in ${npu} ('${hw.name}')`);
  }
  return bin;
}
