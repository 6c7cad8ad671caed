// Architectural limits: the largest values the NPU's instruction fields can carry. A layer of its own, below
// everything, because the IR, the hardware schema, the frontend and the ISA table (isa/table.ts) all bound values by them.

export const FIELD_BITS = {
  tile: 8,
  pe: 10,
  count: 11,
  bufAddr: 16,
  len: 16,
  row: 17,
  ocmAddr: 24,
  dramAddr: 32,
  target: 20,
  act: 2,
  flag: 1,
  slot: 6,
  when: 2,
  stage: 3,
  layer: 7,
  f32: 32,
} as const;

export const MAX_TILES = 1 << FIELD_BITS.tile;
export const MAX_PES_PER_TILE = 1 << FIELD_BITS.pe;
export const MAX_BUFFER_WORDS = 1 << FIELD_BITS.bufAddr;
export const MAX_OCM_WORDS = 1 << FIELD_BITS.ocmAddr;
/** Samples a batched program takes at once: one per value of the 6-bit sample-slot field. */
export const MAX_BATCH = 1 << FIELD_BITS.slot;
export const MAX_PROGRAM_LENGTH = 1 << FIELD_BITS.target;
/** A layer's width or fan-in: bounded by the 16-bit length field. */
export const MAX_LAYER_WIDTH = (1 << FIELD_BITS.len) - 1;
/** Weights of one layer (width × fan-in); bounds memory before anything is allocated. */
export const MAX_LAYER_WEIGHTS = 1 << 26;
/** The largest DRAM image a binary carries (1 GiB of float32, the default DRAM): a binary is read and
 *  unpacked whole, so a larger image could not be loaded even where the hardware's DRAM is larger. */
export const MAX_DRAM_IMAGE_WORDS = 2 ** 28;
/** Layers a program outside fp32 can name in its `q` operands (q0 is the sample's own grid). */
export const MAX_NUMERIC_LAYERS = (1 << FIELD_BITS.layer) - 1;
