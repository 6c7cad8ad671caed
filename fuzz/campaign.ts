// A fuzz campaign over one format: a fixed seed and count, every case classified, totals kept, and each
// finding (crash, hang, wrong accept, over-long message) kept with its input so it can be saved and replayed.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { FuzzCase, FuzzTarget } from './fuzz-target.ts';
import { HANG_MS, isFinding, runCase, type CaseOutcome } from './outcome.ts';

export interface Finding {
  format: string;
  /** Index of the case in the campaign (same seed and index -> same case). */
  index: number;
  outcome: CaseOutcome;
  fuzzCase: FuzzCase;
}

export interface CampaignResult {
  format: string;
  cases: number;
  accepted: number;
  rejected: number;
  simFaults: number;
  crashes: number;
  hangs: number;
  wrongAccepts: number;
  longMessages: number;
  maxMessageLength: number;
  slowestMs: number;
  findings: Finding[];
  /** A few simulation faults on loaded programs: not findings, but worth a look. */
  simFaultExamples: Finding[];
  ms: number;
}

export interface CampaignOptions {
  seed: number;
  count: number;
  hangMs?: number;
  /** Called before each case (for a watchdog) and after it (for progress output). */
  onStart?: (index: number) => void;
  onCase?: (index: number, outcome: CaseOutcome) => void;
}

/** A folder for readers that need files on disk; removed by the caller. */
export function makeScratch(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'axc-fuzz-'));
}

/** Runs one case of a target in a fresh scratch folder. */
export async function runTargetCase(target: FuzzTarget, c: FuzzCase, hangMs = HANG_MS): Promise<CaseOutcome> {
  const scratch = makeScratch();
  try {
    return await runCase((probe) => target.run(c, probe, scratch), hangMs);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `count` cases. fast-check drives generation (fc.check with a property that always holds), so the
 * cases are a pure function of (seed, count) and are generated one at a time.
 */
export async function runCampaign(target: FuzzTarget, opts: CampaignOptions): Promise<CampaignResult> {
  const r: CampaignResult = {
    format: target.name,
    cases: 0,
    accepted: 0,
    rejected: 0,
    simFaults: 0,
    crashes: 0,
    hangs: 0,
    wrongAccepts: 0,
    longMessages: 0,
    maxMessageLength: 0,
    slowestMs: 0,
    findings: [],
    simFaultExamples: [],
    ms: 0,
  };
  const start = performance.now();
  const property = fc.asyncProperty(target.cases(), async (c) => {
    const index = r.cases++;
    opts.onStart?.(index);
    let o = await runTargetCase(target, c, opts.hangMs);
    // A slow case is timed again before it is called a hang: on a shared machine one run can stall for
    // seconds (other processes, a major GC) with the input at no fault.
    if (o.verdict === 'hang') {
      const again = await runTargetCase(target, c, opts.hangMs);
      if (again.verdict !== 'hang') o = again;
    }
    if (o.verdict === 'accepted') r.accepted++;
    else if (o.verdict === 'rejected') r.rejected++;
    else if (o.verdict === 'sim-fault') r.simFaults++;
    else if (o.verdict === 'crash') r.crashes++;
    else if (o.verdict === 'hang') r.hangs++;
    else if (o.verdict === 'wrong-accept') r.wrongAccepts++;
    if (o.longMessage !== undefined) r.longMessages++;
    r.maxMessageLength = Math.max(r.maxMessageLength, o.maxMessageLength);
    r.slowestMs = Math.max(r.slowestMs, o.ms);
    if (isFinding(o)) r.findings.push({ format: target.name, index, outcome: o, fuzzCase: c });
    else if (o.verdict === 'sim-fault' && r.simFaultExamples.length < 3) r.simFaultExamples.push({ format: target.name, index, outcome: o, fuzzCase: c });
    opts.onCase?.(index, o);
    return true;
  });
  const details = await fc.check(property, { seed: opts.seed, numRuns: opts.count, endOnFailure: true });
  // The property always holds, so a failure here means fast-check itself (or the generator) threw.
  if (details.failed) throw new Error(`fuzz campaign for ${target.name} stopped: ${String(details.errorInstance)}`);
  r.ms = performance.now() - start;
  return r;
}

/** Which bug a finding is, as far as a one-line summary can tell: verdict, stage, first line with numbers masked. */
export function findingSignature(f: Finding): string {
  const o = f.outcome;
  // Over-long messages group by diagnostic code: the quoted token differs in every case.
  if (o.verdict === 'accepted' || o.verdict === 'rejected' || o.verdict === 'sim-fault') return `${f.format} long message ${/^\[\w+\]/.exec(o.longMessage ?? '')?.[0] ?? ''}`;
  const what = o.verdict === 'hang' ? 'slow' : (o.error ?? '').split('\n')[0];
  return `${f.format} ${o.verdict}@${o.stage ?? '-'}: ${what.replace(/\d+/g, 'N').slice(0, 160)}`;
}

/**
 * Shrinks the first case of a campaign that shows `signature`: re-runs the same seed with a property that
 * fails on that signature, and lets fast-check minimise the mutations. Returns the smallest case found.
 */
export async function shrinkFinding(target: FuzzTarget, seed: number, count: number, signature: string, hangMs?: number): Promise<{ fuzzCase: FuzzCase; outcome: CaseOutcome } | null> {
  let last: { fuzzCase: FuzzCase; outcome: CaseOutcome } | null = null;
  const property = fc.asyncProperty(target.cases(), async (c) => {
    const outcome = await runTargetCase(target, c, hangMs);
    const same = isFinding(outcome) && findingSignature({ format: target.name, index: 0, outcome, fuzzCase: c }) === signature;
    if (same) last = { fuzzCase: c, outcome };
    return !same;
  });
  await fc.check(property, { seed, numRuns: count });
  return last;
}
