// Renders a vega-lite chart to SVG text in Node, with no browser: the one renderer of the experiment
// charts and of `axc tune --plot`. Imported lazily by the CLI, since vega is slow to load.

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
