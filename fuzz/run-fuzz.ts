// `npm run fuzz -- --count N --seed S [--format F]`: runs fuzz campaigns, prints the per-format table and
// each distinct finding, saves every finding's input for replay, and exits non-zero when anything was found.

import * as path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { findingSignature, runCampaign, runTargetCase, shrinkFinding, type CampaignResult, type Finding } from './campaign.ts';
import { describeCase, describeFinding, formatTable, loadSavedCase, saveFinding } from './describe-finding.ts';
import { HANG_MS, isFinding } from './outcome.ts';
import { REPO_ROOT } from './seed-corpus.ts';
import { FUZZ_TARGETS, findTarget } from './targets/all-targets.ts';
import { Watchdog } from './watchdog.ts';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

interface Options {
  count: number;
  seed: number;
  format?: string[];
  out: string;
  hangMs: number;
  shrink?: boolean;
  replay?: string;
  watchdogMs: number;
}

async function replay(where: string, hangMs: number): Promise<number> {
  const { format, fuzzCase } = loadSavedCase(where);
  const target = findTarget(format);
  if (!target) throw new Error(`${where}: unknown format '${format}'`);
  const o = await runTargetCase(target, fuzzCase, hangMs);
  process.stdout.write(`${describeFinding({ format, index: 0, outcome: o, fuzzCase })}\n`);
  return isFinding(o) ? 1 : 0;
}

async function main(opts: Options): Promise<number> {
  if (opts.replay) return replay(opts.replay, opts.hangMs);
  const targets = opts.format ? opts.format.map((f) => findTarget(f)!) : FUZZ_TARGETS;
  const results: CampaignResult[] = [];
  // Cases run in-process (a worker per case would cost a second of start-up each); the watchdog thread
  // only ends the run, naming the case, if one never finishes.
  const watchdog = opts.watchdogMs > 0 ? new Watchdog(targets.map((t) => t.name), opts.seed, opts.watchdogMs) : null;
  for (const [t, target] of targets.entries()) {
    process.stderr.write(`fuzzing ${target.name}: ${opts.count} cases, seed ${opts.seed}\n`);
    const r = await runCampaign(target, {
      seed: opts.seed,
      count: opts.count,
      hangMs: opts.hangMs,
      onStart: (i) => watchdog?.enter(t, i),
      onCase: (i) => {
        watchdog?.leave();
        if ((i + 1) % 250 === 0) process.stderr.write(`  ${target.name}: ${i + 1}/${opts.count}\n`);
      },
    });
    results.push(r);
  }
  await watchdog?.stop();
  process.stdout.write(`${formatTable(results)}\n`);
  const findings = results.flatMap((r) => r.findings);
  // Distinct signatures first, so a bug found a hundred times reads as one line with a count.
  const bySignature = new Map<string, Finding[]>();
  for (const f of findings) bySignature.set(findingSignature(f), [...(bySignature.get(findingSignature(f)) ?? []), f]);
  if (bySignature.size) process.stdout.write(`\n${bySignature.size} distinct finding signature(s):\n`);
  for (const [signature, list] of bySignature) {
    process.stdout.write(`\n[${list.length}x] ${signature}\n${describeFinding(list[0])}\n`);
    if (opts.shrink) {
      const target = findTarget(list[0].format)!;
      const small = await shrinkFinding(target, opts.seed, list[0].index + 1, signature, opts.hangMs);
      if (small) process.stdout.write(`    shrunk to: ${describeCase(small.fuzzCase)}\n`);
    }
  }
  for (const r of results) for (const f of r.simFaultExamples) process.stdout.write(`\n(simulation fault, not a finding) ${describeFinding(f)}\n`);
  if (findings.length) {
    const saved = findings.map((f) => saveFinding(f, opts.out));
    process.stdout.write(`\nsaved ${saved.length} finding(s) under ${opts.out}; replay one with: npm run fuzz -- --replay ${saved[0]}\n`);
  }
  return findings.length ? 1 : 0;
}

const program = new Command('run-fuzz')
  .description('fuzz every input reader of axc with mutated inputs and report crashes, hangs and wrong accepts')
  .option('-n, --count <n>', 'cases per format', positiveInt, 200)
  .option('-s, --seed <n>', 'fast-check seed', positiveInt, 1)
  .addOption(new Option('-f, --format <name...>', 'only these formats').choices(FUZZ_TARGETS.map((t) => t.name)))
  .option('-o, --out <dir>', 'where findings are saved', path.join(REPO_ROOT, 'fuzz', 'findings'))
  .option('--hang-ms <ms>', 'a case slower than this is a hang', positiveInt, HANG_MS)
  .option('--watchdog-ms <ms>', 'end the run if one case has not finished after this long (0: no watchdog)', positiveInt, 120_000)
  .option('--shrink', 'shrink the first case of each distinct finding with fast-check (slow)')
  .option('--replay <dir>', 'run one saved finding again (a folder written under --out)')
  .addHelpText('after', `\nFormats:\n${FUZZ_TARGETS.map((t) => `  ${t.name.padEnd(11)} ${t.about}`).join('\n')}\n`)
  .action(async (opts: Options) => {
    process.exitCode = await main(opts);
  });

await program.parseAsync();
