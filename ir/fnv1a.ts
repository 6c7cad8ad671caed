// FNV-1a, the 32-bit string hash axc uses wherever it needs a short stable number for a text: a report's
// hardware fingerprint, a benchmark's random stream. Lives in ir/ beside seeded randomness so every layer can import it.

/** The 32-bit FNV-1a hash of a string's UTF-16 code units, as an unsigned integer. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5; // the FNV offset basis
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0; // the FNV prime
  return h;
}
