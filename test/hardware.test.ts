// Library tests of the hardware description: defaults, every field's bounds (with messages naming the
// field), parseHardware's file:line:col positions, the cross-field rules, and canonicalHardware.

import test, { type ExecutionContext } from 'ava';
import { AxcError, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { canonicalHardware, DEFAULT_HARDWARE, HardwareFields, HardwareSchema, totalPes, type Hardware } from '../hardware/description.ts';
import { parseHardware } from '../hardware/load-hardware.ts';

const FILE = 'hw.json';

function parseErrors(t: ExecutionContext, text: string): Diagnostic[] {
  const e = t.throws(() => parseHardware(text, FILE), { instanceOf: AxcError });
  return e?.diagnostics ?? [];
}

/** `line:col` of the first occurrence of `needle` in `text`. */
function at(text: string, needle: string): { file: string; line: number; col: number } {
  const off = text.indexOf(needle);
  if (off < 0) throw new Error(`test bug: '${needle}' not found`);
  const before = text.slice(0, off);
  return { file: FILE, line: before.split('\n').length, col: off - before.lastIndexOf('\n') };
}

test('defaults', (t) => {
  const expected = {
    name: 'axnpu-default',
    tiles: 4,
    pesPerTile: 8,
    weightBufferWords: 512,
    inputBufferWords: 1024,
    outputBufferWords: 256,
    onChipMemoryWords: 65536,
    dramWords: 2 ** 28,
  };
  const structure = (hw: Hardware) => Object.fromEntries(Object.keys(expected).map((k) => [k, hw[k as keyof Hardware]]));
  t.deepEqual(structure(DEFAULT_HARDWARE), expected);
  t.deepEqual(parseHardware('{}', FILE), DEFAULT_HARDWARE);
  t.deepEqual(parseHardware('  {\n}\n', FILE), DEFAULT_HARDWARE);
  // The energy defaults are the 45 nm figures of DESIGN.md §2 (Horowitz, ISSCC 2014).
  t.is(DEFAULT_HARDWARE.energy.fp32Add, 0.9);
  t.is(DEFAULT_HARDWARE.energy.fp32Mult, 3.7);
  t.is(DEFAULT_HARDWARE.energy.weightBufferWord * 2, 10, '8 KB SRAM: 10 pJ per 64-bit read');
  t.true(DEFAULT_HARDWARE.energy.dramWord * 2 >= 1300 && DEFAULT_HARDWARE.energy.dramWord * 2 <= 2600, 'DRAM: 1.3-2.6 nJ per 64 bits');
  t.true(Object.isFrozen(DEFAULT_HARDWARE));
  t.is(totalPes(DEFAULT_HARDWARE), 32);
  // A partial description keeps the defaults for the fields it leaves out.
  t.deepEqual(parseHardware('{"tiles": 2, "name": "half"}', FILE), { ...DEFAULT_HARDWARE, tiles: 2, name: 'half' });
  // Nested groups keep their other defaults too.
  t.deepEqual(parseHardware('{"energy": {"fp32Mult": 1}}', FILE).energy, { ...DEFAULT_HARDWARE.energy, fp32Mult: 1 });
});

/** Every count field, its maximum, and extra fields that keep the cross-field rules satisfied at the maximum. */
const COUNT_FIELDS: { field: keyof Hardware; max: number; with?: Partial<Hardware> }[] = [
  { field: 'tiles', max: 256 },
  { field: 'pesPerTile', max: 1024, with: { outputBufferWords: 1024 } },
  { field: 'weightBufferWords', max: 65536 },
  { field: 'inputBufferWords', max: 65536 },
  { field: 'outputBufferWords', max: 65536 },
  { field: 'onChipMemoryWords', max: 2 ** 24 },
  { field: 'dramWords', max: 2 ** 32 - 1 },
];

for (const { field, max, with: extra } of COUNT_FIELDS) {
  test(`${field}: bounds 1..${max}, whole numbers only, with messages naming the field`, (t) => {
    const ok = (v: number) => parseHardware(JSON.stringify({ ...extra, [field]: v }), FILE)[field];
    t.is(ok(max), max);
    if (field !== 'outputBufferWords') t.is(ok(1), 1);
    else t.is(parseHardware(JSON.stringify({ pesPerTile: 1, outputBufferWords: 1 }), FILE).outputBufferWords, 1);

    const cases: [unknown, string][] = [
      [0, `${field} must be at least 1`],
      [-3, `${field} must be at least 1`],
      [max + 1, `${field} must be at most ${max}`],
      [2.5, `${field} must be a whole number`],
      ['8', `${field} must be a number`],
      [null, `${field} must be a number`],
      [true, `${field} must be a number`],
    ];
    for (const [value, message] of cases) {
      const text = `{\n  ${JSON.stringify(field)}: ${JSON.stringify(value)}\n}`;
      const ds = parseErrors(t, text);
      t.true(ds.length >= 1, `${field} = ${JSON.stringify(value)} was accepted`);
      const d = ds.find((x) => x.message === `hardware field '${field}': ${message}`);
      t.truthy(d, `${field} = ${JSON.stringify(value)}: got ${ds.map(formatDiagnostic).join(' | ')}`);
      t.is(d?.code, 'AXH302');
      t.deepEqual(d?.loc, { file: FILE, line: 2, col: 5 + JSON.stringify(field).length });
      for (const x of ds) t.is(x.code, 'AXH302');
    }
  });
}

test('name: a non-empty string of at most 64 characters', (t) => {
  t.is(parseHardware(JSON.stringify({ name: 'x'.repeat(64) }), FILE).name, 'x'.repeat(64));
  for (const bad of ['', 'x'.repeat(65), 5, null]) {
    const ds = parseErrors(t, JSON.stringify({ name: bad }));
    t.is(ds.length, 1, JSON.stringify(bad));
    t.is(ds[0].code, 'AXH302');
    t.true(ds[0].message.startsWith("hardware field 'name': "), ds[0].message);
    t.deepEqual(ds[0].loc, { file: FILE, line: 1, col: '{"name":'.length + 1 });
  }
});

test('parseHardware: syntax errors are AXH301 at their line:col', (t) => {
  const cases: [string, string, string][] = [
    ['{\n  "tiles": 4,\n  "pesPerTile" 8\n}\n', '8\n', 'ColonExpected'],
    ['{\n  "tiles": 4,\n}\n', '}', 'PropertyNameExpected'],
    ['{\n  "tiles": 4\n  "pesPerTile": 8\n}', '"pesPerTile"', 'CommaExpected'],
    ['{ "tiles": 4 } {}', '{}', 'EndOfFileExpected'],
    ['{\n  // no comments in JSON\n  "tiles": 4\n}', '//', 'InvalidCommentToken'],
  ];
  for (const [text, needle, why] of cases) {
    const ds = parseErrors(t, text);
    t.is(ds.length, 1, text);
    t.is(ds[0].code, 'AXH301');
    t.is(ds[0].message, `hardware description is not valid JSON: ${why}`);
    t.deepEqual(ds[0].loc, at(text, needle), text);
  }
  const empty = parseErrors(t, '');
  t.is(empty[0]?.code, 'AXH301');
  t.deepEqual(empty[0]?.loc, { file: FILE, line: 1, col: 1 });
});

test('parseHardware: field errors point at the value, unknown keys at the key', (t) => {
  const text = '{\n  "name": "n",\n  "tiles":   0,\n\t"weightBufferWords": 1.5,\n    "colour": "red"\n}\n';
  const ds = parseErrors(t, text);
  const byField = new Map(ds.map((d) => [/'([^']+)'/.exec(d.message)?.[1], d]));
  t.is(ds.length, 3, ds.map(formatDiagnostic).join('\n'));
  t.deepEqual(byField.get('tiles')?.loc, at(text, '0,'));
  t.deepEqual(byField.get('weightBufferWords')?.loc, at(text, '1.5'));
  t.deepEqual(byField.get('colour')?.loc, at(text, '"colour"'));
  t.is(byField.get('colour')?.message, "hardware field 'colour': is not a hardware parameter");
  t.true(ds.every((d) => d.code === 'AXH302'));
  t.is(formatDiagnostic(byField.get('tiles')!), "hw.json:3:14: error: hardware field 'tiles': tiles must be at least 1 [AXH302]");
});

test('parseHardware: a top-level value that is not an object is positioned at it', (t) => {
  for (const [text, col] of [['  []', 3], ['null', 1], ['\n 42', 2]] as const) {
    const ds = parseErrors(t, text);
    t.is(ds.length, 1);
    t.is(ds[0].code, 'AXH302');
    t.true(ds[0].message.startsWith("hardware field '(top level)': "), ds[0].message);
    t.deepEqual(ds[0].loc, { file: FILE, line: text.startsWith('\n') ? 2 : 1, col });
  }
});

test('cross-field: outputBufferWords must be at least pesPerTile', (t) => {
  t.is(parseHardware('{"pesPerTile": 16, "outputBufferWords": 16}', FILE).outputBufferWords, 16);
  const text = '{\n  "pesPerTile": 16,\n  "outputBufferWords": 15\n}';
  const ds = parseErrors(t, text);
  t.is(ds.length, 1);
  t.is(ds[0].code, 'AXH302');
  t.regex(ds[0].message, /^hardware field 'outputBufferWords': must be at least pesPerTile \(16\)/);
  t.deepEqual(ds[0].loc, at(text, '15'));
  // With outputBufferWords left at its default (256), the error has no position but names the file.
  const implicit = parseErrors(t, '{"pesPerTile": 512}');
  t.is(implicit.length, 1);
  t.regex(implicit[0].message, /^hardware field 'outputBufferWords': must be at least pesPerTile \(512\)/);
  t.is(implicit[0].loc, undefined);
  t.is(implicit[0].file, FILE);
  // The schema itself enforces it too.
  t.false(HardwareSchema.safeParse({ pesPerTile: 9, outputBufferWords: 8 }).success);
  t.true(HardwareSchema.safeParse({ pesPerTile: 8, outputBufferWords: 8 }).success);
});

test('cross-field: the total weight-buffer size is capped at 2^28 words', (t) => {
  const base = { tiles: 256, pesPerTile: 1024, outputBufferWords: 1024 };
  t.is(parseHardware(JSON.stringify({ ...base, weightBufferWords: 1024 }), FILE).weightBufferWords, 1024);
  const ds = parseErrors(t, JSON.stringify({ ...base, weightBufferWords: 1025 }));
  t.is(ds.length, 1);
  t.regex(ds[0].message, /^hardware field 'weightBufferWords': tiles × pesPerTile × weightBufferWords is 268697600 words/);
});

// Cross-field rules skip fields that are already invalid, so one bad value gives one error.
test('an out-of-range pesPerTile gives one diagnostic, not a cascade', (t) => {
  const ds = parseErrors(t, '{"pesPerTile": 5000}');
  t.deepEqual(ds.map((d) => d.message), ["hardware field 'pesPerTile': pesPerTile must be at most 1024"]);
});

test('a duplicated key is an error at the repeat, and a bad value is reported at the value actually used', (t) => {
  const text = '{\n  "tiles": 4,\n  "tiles": 300\n}';
  const ds = parseErrors(t, text);
  t.deepEqual(ds.map((d) => d.code), ['AXH303', 'AXH302']);
  t.deepEqual(ds[0].loc, { file: FILE, line: 3, col: 3 });
  t.deepEqual(ds[1].loc, at(text, '300'));
  const ok = '{\n  "tiles": 4,\n  "tiles": 2\n}';
  t.deepEqual(parseErrors(t, ok).map((d) => `${d.code} ${d.message}`), ["AXH303 hardware field 'tiles' is given more than once"]);
});

test('every unknown field is reported, and a non-object is refused plainly', (t) => {
  const text = '{"tiles": 2, "tilez": 3, "pes": 4}';
  const ds = parseErrors(t, text);
  t.deepEqual(ds.map((d) => [d.message, d.loc]), [
    ["hardware field 'tilez': is not a hardware parameter", at(text, '"tilez"')],
    ["hardware field 'pes': is not a hardware parameter", at(text, '"pes"')],
  ]);
  t.regex(parseErrors(t, '[4]')[0].message, /a hardware description is a JSON object of fields/);
});

test('canonicalHardware: same values in any key order give the same text, in schema order', (t) => {
  const values = { name: 'lab', tiles: 2, pesPerTile: 16, weightBufferWords: 300, inputBufferWords: 700, outputBufferWords: 64, onChipMemoryWords: 4096, dramWords: 1 << 20 };
  const forward = JSON.stringify(values, null, 2);
  const reversed = JSON.stringify(Object.fromEntries(Object.entries(values).reverse()));
  const shuffled = '{"dramWords":1048576,"tiles":2,"name":"lab","outputBufferWords":64,"pesPerTile":16,"onChipMemoryWords":4096,"weightBufferWords":300,"inputBufferWords":700}';
  const c = canonicalHardware(parseHardware(forward, FILE));
  t.is(canonicalHardware(parseHardware(reversed, FILE)), c);
  t.is(canonicalHardware(parseHardware(shuffled, FILE)), c);
  t.is(c, JSON.stringify({ ...DEFAULT_HARDWARE, ...values }));
  // Every field in schema order; `datapath` only when given, so fp32 descriptions read as they did before it.
  t.deepEqual(Object.keys(JSON.parse(c)), Object.keys(HardwareFields.shape).filter((k) => k !== 'datapath'));
  t.deepEqual(Object.keys(JSON.parse(canonicalHardware(parseHardware('{"datapath":"int8","tiles":2}', FILE)))), Object.keys(HardwareFields.shape));
  // Defaults written out equal defaults left implicit; any changed value changes the text.
  t.is(canonicalHardware(parseHardware(JSON.stringify(DEFAULT_HARDWARE), FILE)), canonicalHardware(DEFAULT_HARDWARE));
  t.is(canonicalHardware(parseHardware('{}', FILE)), canonicalHardware(DEFAULT_HARDWARE));
  t.not(canonicalHardware(parseHardware(shuffled.replace('"tiles":2', '"tiles":3'), FILE)), c);
  t.not(canonicalHardware(parseHardware(shuffled.replace('"lab"', '"lab2"'), FILE)), c);
  // Extra properties on the object (not part of the schema) do not leak into the canonical text.
  t.is(canonicalHardware({ ...DEFAULT_HARDWARE, extra: 1 } as Hardware), canonicalHardware(DEFAULT_HARDWARE));
});
