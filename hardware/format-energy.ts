// Energy per arithmetic action in each number format, and where each figure comes from. The Horowitz
// (ISSCC 2014, 45 nm) table gives fp32, fp16, int8 and int32; every other figure is assumed and says why.
// README's number-format energy table is generated from this one.

import type { FormatSpec } from '../ir/number-format.ts';

export interface FormatEnergy {
  mult: number;
  add: number;
  /** 'Horowitz 2014', or the reasoning behind an assumed figure. */
  source: string;
}

const HOROWITZ = 'Horowitz 2014 (45 nm)';

const TABLE: Record<string, FormatEnergy> = {
  fp32: { mult: 3.7, add: 0.9, source: HOROWITZ },
  fp16: { mult: 1.1, add: 0.4, source: HOROWITZ },
  int8: { mult: 0.2, add: 0.03, source: HOROWITZ },
  int32: { mult: 3.1, add: 0.1, source: HOROWITZ },
  bf16: {
    mult: 1.1 * (8 / 11) ** 2,
    add: 0.4,
    source: "assumed: fp16's figures, the multiply scaled by the square of the significand width (8 bits against 11), the add kept (the wider exponent's alignment offsets the narrower significand)",
  },
};

/** Energy of a multiply and an add in format `f`: Horowitz's where the table has it, else the integer rule. */
export function formatEnergy(f: FormatSpec): FormatEnergy {
  const known = TABLE[f.name] ?? (f.kind === 'fixed' && (f.bits === 8 || f.bits === 32) ? TABLE[`int${f.bits}`] : undefined);
  if (known) return known;
  const w = f.bits;
  return {
    mult: 0.2 * (w / 8) ** 2,
    add: 0.03 * (w / 8),
    source: `assumed: an integer multiplier grows with the square of its width and an adder linearly, from Horowitz's int8 figures (0.2 and 0.03 pJ; the rule gives 3.2 and 0.12 pJ at 32 bits against the table's 3.1 and 0.1)`,
  };
}

/** The formats the README's energy table lists. */
export const TABULATED_FORMATS = ['fp32', 'fp16', 'bf16', 'int8', 'int32', 'fixed16.8', 'fixed8.4'];
