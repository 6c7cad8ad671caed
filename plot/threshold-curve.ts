// The chart `axc tune --plot` draws: invocation and violation rate (and, for an error target, the mean
// error) against the decision threshold on the calibration rows, with the target and the chosen threshold marked.

import type { TopLevelSpec } from 'vega-lite';
import { TARGET_FIGURE, type ThresholdOutcome, type TuneTarget } from '../quality/choose-threshold.ts';

export function thresholdCurveSpec(curve: ThresholdOutcome[], target: TuneTarget, chosen: number | null, title: string): TopLevelSpec {
  const figure = TARGET_FIGURE[target.kind];
  const values = curve.flatMap((o) => {
    const rows = [{ threshold: o.threshold, series: 'invocation', value: o.invocation }];
    if (o.violationRate !== null) rows.push({ threshold: o.threshold, series: 'violation rate', value: o.violationRate });
    if (target.kind === 'error' && o.error !== null && Number.isFinite(o.error)) rows.push({ threshold: o.threshold, series: 'mean error', value: o.error });
    return rows;
  });
  const layers: unknown[] = [
    {
      data: { values },
      mark: { type: 'line', interpolate: 'step-after', point: false },
      encoding: {
        x: { field: 'threshold', type: 'quantitative', title: 'decision threshold T', scale: { domain: [0, 1] } },
        y: { field: 'value', type: 'quantitative', title: target.kind === 'violations' ? 'fraction of samples / of delivered outputs' : 'fraction of samples / of outputs; mean Err' },
        color: { field: 'series', type: 'nominal', title: null },
      },
    },
    {
      data: { values: [{ target: target.max, label: `target: ${figure} <= ${target.max}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [6, 4], color: 'firebrick' }, encoding: { y: { field: 'target', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: 'firebrick' }, encoding: { y: { field: 'target', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } } },
      ],
    },
  ];
  if (chosen !== null)
    layers.push({
      data: { values: [{ threshold: chosen, label: `chosen T = ${chosen}` }] },
      layer: [
        { mark: { type: 'rule', color: 'gray' }, encoding: { x: { field: 'threshold', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', dx: 4, y: 8, color: 'gray' }, encoding: { x: { field: 'threshold', type: 'quantitative' }, text: { field: 'label' } } },
      ],
    });
  return { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', title, width: 480, height: 260, layer: layers } as TopLevelSpec;
}
