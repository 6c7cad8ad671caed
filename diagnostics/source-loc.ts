// A position in a source file. It lives with the diagnostics, the lowest layer, because every diagnostic
// carries one; the IR re-exports it for the layers and nodes that record where they were declared.

/** 1-based line and column, as editors show them. */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}
