// The one place a Chart.js chart meets the page: create it on a canvas with the page's colours,
// follow the colour scheme while it lives, and destroy it. Every chart module (xy-chart.ts,
// histogram.ts) only says what to draw and how to update it.
//
// Test hook: while a chart is mounted its canvas carries the Chart.js instance as `__chart`
// (ChartCanvas), in every build. End-to-end tests read the data, the scales and the elements
// Chart.js itself holds from it — what is drawn, not the props a component was given. It is
// removed when the chart is destroyed.
import type { Chart } from 'chart.js';
import { readTheme, type ChartTheme } from './theme';

/** A chart made by a chart module: the instance, and how new data reaches it. */
export interface ChartHandle<D> {
	readonly chart: Chart;
	/** Replaces what the chart shows with `data` and redraws at once (no animation). */
	update(data: D): void;
}

/** A canvas with a mounted chart (see the test hook above). */
export interface ChartCanvas extends HTMLCanvasElement {
	__chart?: Chart;
}

export interface MountedChart<D> {
	handle: ChartHandle<D>;
	destroy(): void;
}

/** Colours every scale's ticks, title and grid and the legend's text with `theme`. */
export function applyTheme(chart: Chart, theme: ChartTheme): void {
	const o = chart.options;
	for (const scale of Object.values(o.scales ?? {})) {
		if (!scale) continue;
		if (scale.ticks) scale.ticks.color = theme.text;
		if (scale.grid) scale.grid.color = theme.grid;
		if ('title' in scale && scale.title) scale.title.color = theme.text;
	}
	if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = theme.text;
	chart.update('none');
}

/** Creates the chart with `create` on `canvas`, themed from the page; destroy() undoes it all. */
export function mountChart<D>(
	canvas: HTMLCanvasElement,
	create: (canvas: HTMLCanvasElement, theme: ChartTheme) => ChartHandle<D>
): MountedChart<D> {
	const handle = create(canvas, readTheme(canvas));
	const target = canvas as ChartCanvas;
	target.__chart = handle.chart;
	const scheme = matchMedia('(prefers-color-scheme: dark)');
	const onScheme = () => applyTheme(handle.chart, readTheme(canvas));
	scheme.addEventListener('change', onScheme);
	return {
		handle,
		destroy() {
			scheme.removeEventListener('change', onScheme);
			delete target.__chart;
			handle.chart.destroy();
		}
	};
}
