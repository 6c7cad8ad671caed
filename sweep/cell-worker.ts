// The worker-thread side of the local pool (piscina): runs the cells it is handed.

import { runCell, type CellOutcome } from './run-cell.ts';
import type { CellJob } from './sweep-cells.ts';

export default function runCellInWorker(job: CellJob): Promise<CellOutcome> {
  return runCell(job);
}
