// What one fuzz case did: the verdict (accepted, rejected, crash, hang, wrong-accept, or a simulation fault
// after a clean load), which stage decided it, the exception, and the longest diagnostic message seen.

import { AxcError, hasErrors } from '../diagnostics/diagnostic.ts';

export type Verdict = 'accepted' | 'rejected' | 'sim-fault' | 'wrong-accept' | 'crash' | 'hang';

/** A message longer than this is a finding: the issue caps quoted tokens at ~60 characters with an ellipsis. */
export const MESSAGE_LIMIT = 400;
/**
 * A case that uses more CPU than this is a hang (the toolchain has no legitimate reason to think this long on
 * small inputs; the slowest valid seed takes about half a second). CPU time rather than wall time, so that a
 * loaded machine (other test files, other processes) does not turn slow scheduling into findings.
 */
export const HANG_MS = 5000;

/** How an AxcError thrown by a stage is judged: a clean refusal, a refusal that a previous stage should have made, or a fault at run time. */
export type AxcVerdict = 'rejected' | 'wrong-accept' | 'sim-fault';
/** The verdict for any AxcError of a stage, or one chosen per error (e.g. by diagnostic code). */
export type OnAxcError = AxcVerdict | ((e: AxcError) => AxcVerdict);

export interface CaseOutcome {
  verdict: Verdict;
  /** The stage that ended the case (absent when every stage accepted). */
  stage?: string;
  /** First lines of the exception, for crashes, wrong-accepts and simulation faults. */
  error?: string;
  maxMessageLength: number;
  /** The first message over MESSAGE_LIMIT, cut to a readable length. */
  longMessage?: string;
  /** CPU time of the case (user + system, this process), the measure hangs are judged by. */
  ms: number;
  wallMs: number;
}

/** A case is a finding when the toolchain misbehaved, as opposed to refusing bad input cleanly. */
export function isFinding(o: CaseOutcome): boolean {
  return o.verdict === 'crash' || o.verdict === 'hang' || o.verdict === 'wrong-accept' || o.longMessage !== undefined;
}

/** Thrown by `Probe.stage` to end a case early with a verdict. */
class StageEnd extends Error {
  constructor(
    readonly verdict: Exclude<Verdict, 'accepted' | 'hang'>,
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(`${verdict} at ${stage}`);
  }
}

export function firstLines(e: unknown, lines = 6): string {
  const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : `non-Error thrown: ${String(e)}`;
  return text
    .split('\n')
    .slice(0, lines)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}... (${l.length} chars)` : l))
    .join('\n');
}

/** Runs the stages of one case, measuring every diagnostic message an AxcError carries. */
export class Probe {
  maxMessageLength = 0;
  longMessage: string | undefined;

  private measure(e: AxcError): void {
    for (const d of e.diagnostics) {
      const n = d.message.length;
      if (n > this.maxMessageLength) this.maxMessageLength = n;
      if (n > MESSAGE_LIMIT && this.longMessage === undefined) this.longMessage = `[${d.code}] ${d.message.slice(0, 200)}... (${n} chars)`;
    }
  }

  /** Runs one stage; an AxcError ends the case as `onAxcError` says, any other exception is a crash. */
  async stage<T>(name: string, onAxcError: OnAxcError, run: () => T | Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      // A refusal that states no error leaves the user with nothing to act on: a fault of the reader.
      if (e instanceof AxcError && !hasErrors(e.diagnostics)) throw new StageEnd('crash', name, new Error(`refused with no error diagnostic (${e.diagnostics.length} warnings)`));
      if (e instanceof AxcError) {
        this.measure(e);
        throw new StageEnd(typeof onAxcError === 'function' ? onAxcError(e) : onAxcError, name, e);
      }
      throw new StageEnd('crash', name, e);
    }
  }
}

/** Runs a case body with a fresh probe and classifies it; timing covers the whole body. */
export async function runCase(body: (probe: Probe) => Promise<void>, hangMs = HANG_MS): Promise<CaseOutcome> {
  const probe = new Probe();
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let verdict: Verdict = 'accepted';
  let stage: string | undefined;
  let error: string | undefined;
  try {
    await body(probe);
  } catch (e) {
    if (e instanceof StageEnd) {
      verdict = e.verdict;
      stage = e.stage;
      if (e.verdict !== 'rejected') error = firstLines(e.cause);
    } else {
      // The harness itself threw outside any stage: report it as a crash rather than hide it.
      verdict = 'crash';
      stage = 'harness';
      error = firstLines(e);
    }
  }
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const ms = (cpu.user + cpu.system) / 1000;
  if (ms > hangMs && verdict !== 'crash') {
    error = `took ${Math.round(ms)} ms of CPU (${Math.round(wallMs)} ms wall; bound ${hangMs} ms) and ended as ${verdict}${stage ? ` at ${stage}` : ''}`;
    verdict = 'hang';
  }
  return { verdict, stage, error, maxMessageLength: probe.maxMessageLength, longMessage: probe.longMessage, ms, wallMs };
}
