// AST of an .axn model: what the source says, with the position of every name and number, before any
// semantic check. Built from the CST by cst-to-ast.ts and checked into IR by check-model.ts.

import type { SourceLoc } from '../ir/model.ts';

export interface Name {
  name: string;
  loc: SourceLoc;
}

export interface NumLit {
  value: number;
  /** The literal as written, for messages. */
  text: string;
  loc: SourceLoc;
}

export interface StrLit {
  value: string;
  loc: SourceLoc;
}

export interface LayerAst {
  name: Name;
  width: NumLit;
  activation: Name;
  /** `controlled by NAME`: the control's name and the `controlled` keyword's position. */
  control: (Name & { keywordLoc: SourceLoc }) | null;
}

export interface ControlSegmentAst {
  kind: 'control';
  name: Name;
  width: NumLit;
  activation: Name;
}

export interface DecisionArgAst {
  name: Name;
  value: NumLit;
}

export interface DecisionAst {
  kind: 'decision';
  /** Position of the `decision` keyword. */
  loc: SourceLoc;
  fn: Name;
  args: DecisionArgAst[];
}

export type SplitEntryAst = ControlSegmentAst | DecisionAst;

export interface SplitAst {
  loc: SourceLoc;
  name: Name;
  entries: SplitEntryAst[];
}

/** A weight value tree: a number or a bracketed list, from inline `weights { }` or a JSON weights file. */
export type WeightValue =
  | { kind: 'num'; value: number; text: string; loc: SourceLoc }
  | { kind: 'list'; items: WeightValue[]; loc: SourceLoc };

export interface WeightEntryAst {
  layer: Name;
  /** `w` or `b` (checked semantically). */
  field: Name;
  value: WeightValue;
}

export type WeightsSourceAst =
  | { kind: 'file'; path: StrLit }
  | { kind: 'seed'; seed: NumLit }
  | { kind: 'inline'; entries: WeightEntryAst[] };

export type ModelItemAst =
  | { kind: 'input'; loc: SourceLoc; width: NumLit }
  | { kind: 'output'; loc: SourceLoc; width: NumLit }
  | { kind: 'quality'; loc: SourceLoc; metric: Name; bound: NumLit }
  | { kind: 'benchmark'; loc: SourceLoc; name: Name }
  | { kind: 'cpu'; loc: SourceLoc; cycles: NumLit }
  | { kind: 'approximator'; loc: SourceLoc; layers: LayerAst[] }
  | { kind: 'predictor'; loc: SourceLoc; hidden: LayerAst[]; splits: SplitAst[] }
  | { kind: 'weights'; loc: SourceLoc; source: WeightsSourceAst };

export interface ModelAst {
  /** Position of the `model` keyword. */
  loc: SourceLoc;
  name: Name;
  items: ModelItemAst[];
}

/** The weights given for one layer, from either an inline block or a weights file. */
export interface LayerWeightsAst {
  /** The layer name as written, with its position (an inline `h1.w` or a JSON key). */
  name: Name;
  w?: WeightValue;
  b?: WeightValue;
}

export interface WeightTable {
  layers: Map<string, LayerWeightsAst>;
  /** Where to report a layer whose weights are missing entirely. */
  loc: SourceLoc;
}
