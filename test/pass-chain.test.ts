// The pass chain the compiler is built from: passes run in order, each dump follows its pass, the list
// stays flat, and tsc refuses a pass whose input is not the IR the chain so far gives.

import test from 'ava';
import { passesFrom, type PassContext } from '../compiler/pass-chain.ts';
import { DEFAULT_HARDWARE } from '../hardware/description.ts';

const CTX: PassContext = { hardware: DEFAULT_HARDWARE, description: DEFAULT_HARDWARE, schedule: 'auto' };

test('a chain runs its passes in order and offers each output for printing after its pass', (t) => {
  const chain = passesFrom<number>()
    .then({ name: 'double', doc: 'twice the number', run: (n) => n * 2, print: (n) => `n=${n}` })
    .then({ name: 'label', doc: 'the number as a label', run: (n) => `#${n}`, print: (s) => s });
  t.deepEqual(chain.passes, [
    { name: 'double', doc: 'twice the number' },
    { name: 'label', doc: 'the number as a label' },
  ]);
  const printed: string[] = [];
  t.is(chain.run(3, CTX, (name, print) => printed.push(`${name}: ${print()}`)), '#6');
  t.deepEqual(printed, ['double: n=6', 'label: #6']);
});

test('a chain prints an IR only when asked', (t) => {
  let prints = 0;
  const chain = passesFrom<number>().then({ name: 'same', doc: 'the number', run: (n) => n, print: (n) => `${++prints}:${n}` });
  chain.run(1, CTX, () => {});
  t.is(prints, 0);
});

test('tsc refuses a pass that does not take the IR before it', (t) => {
  const numbers = passesFrom<number>();
  // @ts-expect-error a pass over strings cannot follow a chain that gives numbers
  const wrong = numbers.then({ name: 'length', doc: 'its length', run: (s: string) => s.length, print: String });
  t.is(wrong.passes.length, 1);
});
