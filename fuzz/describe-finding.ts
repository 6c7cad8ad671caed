// Printing fuzz results: the per-format table, a short excerpt of a case (seed plus mutations with long
// strings cut), and saving a finding's input files with a case.json so that `--replay` can run it again.

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CampaignResult, Finding } from './campaign.ts';
import type { FuzzCase } from './fuzz-target.ts';

/** The mutations as compact JSON, with long strings and long arrays cut so a line stays readable. */
export function describeMutations(mutations: unknown, max = 300): string {
  const text = JSON.stringify(mutations, (_k, v) => {
    if (typeof v === 'string' && v.length > 40) {
      const unit = v.slice(0, 4);
      return v === unit.repeat(v.length / unit.length) || v === v[0].repeat(v.length) ? `${JSON.stringify(v.slice(0, 2)).slice(1, -1)}... x${v.length}` : `${v.slice(0, 30)}... (${v.length} chars)`;
    }
    return v;
  });
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

export function describeCase(c: FuzzCase): string {
  return `seed ${c.seed}, mutations ${describeMutations(c.mutations)}`;
}

export function describeFinding(f: Finding): string {
  const o = f.outcome;
  const lines = [`${f.format} #${f.index}: ${o.verdict} at ${o.stage ?? '(end)'} after ${Math.round(o.ms)} ms CPU (${Math.round(o.wallMs)} ms wall); ${describeCase(f.fuzzCase)}`];
  if (o.error) lines.push(...o.error.split('\n').map((l) => `    ${l}`));
  if (o.longMessage) lines.push(`    message over the limit: ${o.longMessage}`);
  return lines.join('\n');
}

const COLUMNS = ['format', 'cases', 'accepted', 'rejected', 'sim-faults', 'crashes', 'hangs', 'wrong-accepts', 'long-msgs', 'max msg len', 'slowest cpu ms', 'total s'] as const;

export function formatTable(results: readonly CampaignResult[]): string {
  const rows = results.map((r) => [r.format, r.cases, r.accepted, r.rejected, r.simFaults, r.crashes, r.hangs, r.wrongAccepts, r.longMessages, r.maxMessageLength, Math.round(r.slowestMs), (r.ms / 1000).toFixed(1)].map(String));
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(COLUMNS), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Writes the finding's files and a case.json (format, seed, mutations, outcome) into `dir/<format>-<index>-<verdict>/`. */
export function saveFinding(f: Finding, dir: string): string {
  const where = path.join(dir, `${f.format}-${f.index}-${f.outcome.verdict}`);
  fs.mkdirSync(where, { recursive: true });
  for (const [name, content] of Object.entries(f.fuzzCase.files)) fs.writeFileSync(path.join(where, name), content);
  const meta = { format: f.format, index: f.index, seed: f.fuzzCase.seed, main: f.fuzzCase.main, files: Object.keys(f.fuzzCase.files), mutations: f.fuzzCase.mutations, outcome: f.outcome };
  fs.writeFileSync(path.join(where, 'case.json'), JSON.stringify(meta, null, 2) + '\n');
  return where;
}

/** Reads a case saved by `saveFinding` back (binary files stay bytes, the rest text). */
export function loadSavedCase(where: string): { format: string; fuzzCase: FuzzCase } {
  const meta = JSON.parse(fs.readFileSync(path.join(where, 'case.json'), 'utf8')) as { format: string; seed: string; main: string; files: string[]; mutations: unknown };
  const files: Record<string, string | Uint8Array> = {};
  for (const name of meta.files) {
    const bytes = fs.readFileSync(path.join(where, name));
    files[name] = name.endsWith('.bin') ? new Uint8Array(bytes) : bytes.toString('utf8');
  }
  return { format: meta.format, fuzzCase: { seed: meta.seed, mutations: meta.mutations, files, main: meta.main } };
}
