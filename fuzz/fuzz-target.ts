// The shape of one fuzzed format: how its cases are generated (from seeds and mutations, as fast-check
// data so failures shrink) and how a case is fed through the reader and its downstream consumers.

import type fc from 'fast-check';
import type { Probe } from './outcome.ts';

/** One generated case: the files it consists of (written out as they are when saved), and how it was made. */
export interface FuzzCase {
  /** Which seed it started from. */
  seed: string;
  /** The mutations applied, as data (printed with a finding so it can be recreated). */
  mutations: unknown;
  /** File name -> content; `main` names the one the reader is pointed at. */
  files: Record<string, string | Uint8Array>;
  main: string;
}

export interface FuzzTarget {
  name: string;
  /** One line for the runner's help. */
  about: string;
  cases(): fc.Arbitrary<FuzzCase>;
  /** Feeds a case through its reader and downstream stages; `scratch` is an empty folder for readers that need files on disk. */
  run(c: FuzzCase, probe: Probe, scratch: string): Promise<void>;
}
