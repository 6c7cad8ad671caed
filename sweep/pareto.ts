// The Pareto frontier of a sweep's rows: a row is on it when no other row is at least as good on every
// objective and better on one. Objectives are minimised; a maximised one is compared negated.

export interface Scored {
  /** One value per objective, already negated where the objective is maximised; null: the row has none. */
  scores: (number | null)[];
}

function dominates(a: number[], b: number[]): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] > b[i]) return false;
    if (a[i] < b[i]) better = true;
  }
  return better;
}

/** For each row, whether it is on the frontier. A row lacking a number (a failed cell, a NaN) is not, and
 *  dominates nothing. */
export function paretoFront(rows: readonly Scored[]): boolean[] {
  const complete = rows.map((r) => r.scores.every((v) => v !== null && !Number.isNaN(v)));
  return rows.map((r, i) => complete[i] && !rows.some((o, j) => j !== i && complete[j] && dominates(o.scores as number[], r.scores as number[])));
}
