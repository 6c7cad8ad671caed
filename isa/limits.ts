// Architectural limits: the largest values the ISA's fields can carry. Field widths in isa/table.ts,
// the hardware-description schema's maxima and the frontend's width checks all derive from these.

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
  stage: 3,
  f32: 32,
} as const;

export const MAX_TILES = 1 << FIELD_BITS.tile;
export const MAX_PES_PER_TILE = 1 << FIELD_BITS.pe;
export const MAX_BUFFER_WORDS = 1 << FIELD_BITS.bufAddr;
export const MAX_OCM_WORDS = 1 << FIELD_BITS.ocmAddr;
export const MAX_PROGRAM_LENGTH = 1 << FIELD_BITS.target;
/** A layer's width or fan-in: bounded by the 16-bit length field. */
export const MAX_LAYER_WIDTH = (1 << FIELD_BITS.len) - 1;
/** Weights of one layer (width × fan-in); bounds memory before anything is allocated. */
export const MAX_LAYER_WEIGHTS = 1 << 26;
/** The largest DRAM image a binary carries (1 GiB of float32, the default DRAM): a binary is read and
 *  unpacked whole, so a larger image could not be loaded even where the hardware's DRAM is larger. */
export const MAX_DRAM_IMAGE_WORDS = 2 ** 28;
