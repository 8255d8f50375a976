import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** A rendered figure: the SVG text and the same picture as PNG bytes. */
export interface Plot {
  svg: string;
  png: Uint8Array;
}

/** Compiles a Vega-Lite spec and renders it headless (no canvas needed) to SVG text. */
export async function renderVegaLite(spec: vegaLite.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterises SVG text with resvg on a white background; `scale` multiplies the SVG's own size. */
export function svgToPng(svg: string, opts: { scale?: number } = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: opts.scale ?? 1 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return new Uint8Array(resvg.render().asPng());
}

export async function plotFromSpec(spec: vegaLite.TopLevelSpec, opts: { scale?: number } = {}): Promise<Plot> {
  const svg = await renderVegaLite(spec);
  return { svg, png: svgToPng(svg, opts) };
}
