// `axc sim --threshold T`: the value's check, and the binary with every decision's threshold set to T,
// so one compiled binary can be simulated at other operating points without recompiling.

import { DIAG } from '../diagnostics/catalog.ts';
import { fail } from '../diagnostics/diagnostic.ts';
import type { Binary } from '../isa/container.ts';
import { decisionInstructions, withDecisionThreshold } from '../isa/decision-threshold.ts';
import { DECIMAL_NUMBER } from '../ir/float-text.ts';
import { isUsableThreshold } from '../ir/numerics.ts';

export const THRESHOLD_HELP =
  'set every decision threshold of the binary to T, in (0, 1): a sigmoid decision (decs) invokes when P(x) > T; a softmax decision (decm) when the safe logit\'s probability exceeds T, compared in logit space (f32(safe - other) > f32(ln(T/(1-T))), so equal to the CSV\'s p > T up to float32 rounding at the boundary; 0.5: exactly when the safe logit wins); default: the thresholds in the binary';

/** commander's parser for the option: a usage error (exit 2) unless T is a plain decimal usable as a threshold. */
export function parseThresholdOption(text: string): number {
  // Exponents are accepted: axc tune can choose thresholds like 1.6e-18, and prints them that way.
  if (!DECIMAL_NUMBER.test(text)) fail(DIAG.simThresholdNotDecimal, undefined, text);
  const t = Number(text);
  if (!isUsableThreshold(t)) fail(DIAG.simThresholdOutOfRange, undefined, text);
  return t;
}

/** The binary to simulate: unchanged without --threshold; otherwise a copy with T in every decs/decm. */
export function applyThresholdOption(bin: Binary, threshold: number | undefined, binPath: string): Binary {
  if (threshold === undefined) return bin;
  if (decisionInstructions(bin).length === 0) fail(DIAG.simNoDecision, undefined, binPath);
  return withDecisionThreshold(bin, threshold);
}
