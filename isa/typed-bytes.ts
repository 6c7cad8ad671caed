// A typed array's bytes as a binary stores them: raw, little-endian (every platform Node supports), beside an
// explicit dtype.

export function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
