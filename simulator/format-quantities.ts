// Number formats for the run report's table: one helper per kind of quantity (counts, shares, ratios,
// energy, time), so every line states each kind the same way.

/** A count or cycle figure, with thousands separators; a fractional one (a mean) keeps one decimal. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A share of a whole, as a percentage. */
export function formatPercent(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** A ratio of two like quantities ("1.65×"); very small ratios keep two significant digits rather than reading as 0. */
export function formatRatio(x: number): string {
  if (x !== 0 && Math.abs(x) < 0.01) return `${x.toPrecision(2)}×`;
  if (Math.abs(x) >= 1000) return `${formatCount(Math.round(x))}×`;
  return `${x.toFixed(2)}×`;
}

/** Energy with a fitting unit, from picojoules. */
export function formatEnergy(pj: number): string {
  const units: [number, string][] = [[1e12, 'J'], [1e9, 'mJ'], [1e6, 'µJ'], [1e3, 'nJ']];
  for (const [scale, unit] of units) if (Math.abs(pj) >= scale) return `${(pj / scale).toFixed(3)} ${unit}`;
  return `${pj.toFixed(1)} pJ`;
}

/** A duration with a fitting unit, from seconds. */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs']];
  for (const [scale, unit] of units) if (Math.abs(seconds) >= scale) return `${(seconds / scale).toFixed(3)} ${unit}`;
  return `${(seconds * 1e9).toFixed(1)} ns`;
}

/** An energy-delay product, which spans too many orders of magnitude for a fixed unit. */
export function formatEdp(jouleSeconds: number): string {
  return `${jouleSeconds.toExponential(3)} J·s`;
}
