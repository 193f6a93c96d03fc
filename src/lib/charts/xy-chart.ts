// A scatter/line chart over two linear axes, updated in place without animation as points stream
// in. Every point handed to update() is kept in the chart's data (no decimation), so what the
// chart holds is exactly what the run measured.
import type { Chart, ChartDataset } from 'chart.js';
import { chartJs } from './register';
import type { ChartTheme } from './theme';

export interface XyPoint {
	x: number;
	y: number;
}

export interface XySeries {
	label: string;
	color: string;
	/** 'line': joined, no markers (x must be sorted); 'points': markers only. */
	kind: 'line' | 'points';
	data: readonly XyPoint[];
	dashed?: boolean;
	/** Marker radius in CSS px for 'points' (default 2.5). */
	radius?: number;
}

export interface XyAxes {
	xLabel: string;
	yLabel: string;
	xMin?: number;
	xMax?: number;
}

export interface XyChartHandle {
	update(series: readonly XySeries[]): void;
	setTheme(theme: ChartTheme): void;
	destroy(): void;
}

type Dataset = ChartDataset<'scatter', XyPoint[]>;

function dataset(s: XySeries): Dataset {
	const line = s.kind === 'line';
	return {
		label: s.label,
		// Chart.js attaches bookkeeping to the array it is given: hand it a copy it may own.
		data: s.data.slice(),
		borderColor: s.color,
		backgroundColor: s.color,
		showLine: line,
		pointRadius: line ? 0 : (s.radius ?? 2.5),
		pointHoverRadius: line ? 3 : (s.radius ?? 2.5) + 2,
		borderWidth: line ? 2 : 0,
		borderDash: s.dashed ? [6, 4] : [],
		normalized: true
	};
}

export function createXyChart(
	canvas: HTMLCanvasElement,
	axes: XyAxes,
	series: readonly XySeries[],
	theme: ChartTheme
): XyChartHandle {
	const ChartJs = chartJs();
	const axis = (title: string, min?: number, max?: number) => ({
		type: 'linear' as const,
		min,
		max,
		title: { display: true, text: title, color: theme.text },
		ticks: { color: theme.text, maxTicksLimit: 8 },
		grid: { color: theme.grid }
	});
	const chart: Chart<'scatter', XyPoint[]> = new ChartJs<'scatter', XyPoint[]>(canvas, {
		type: 'scatter',
		data: { datasets: series.map(dataset) },
		options: {
			animation: false,
			parsing: false,
			responsive: true,
			maintainAspectRatio: false,
			interaction: { mode: 'nearest', intersect: false },
			scales: {
				x: axis(axes.xLabel, axes.xMin, axes.xMax),
				y: axis(axes.yLabel)
			},
			plugins: {
				legend: { labels: { color: theme.text, boxWidth: 14, boxHeight: 3 } },
				tooltip: { animation: false }
			}
		}
	});
	return {
		update(next) {
			const sets = chart.data.datasets;
			next.forEach((s, i) => {
				const existing = sets[i];
				if (existing && existing.label === s.label) existing.data = s.data.slice();
				else sets[i] = dataset(s);
			});
			sets.length = next.length;
			chart.update('none');
		},
		setTheme(t) {
			const o = chart.options;
			for (const key of ['x', 'y'] as const) {
				const scale = o.scales?.[key];
				if (!scale) continue;
				if (scale.ticks) scale.ticks.color = t.text;
				if (scale.grid) scale.grid.color = t.grid;
				if ('title' in scale && scale.title) scale.title.color = t.text;
			}
			if (o.plugins?.legend?.labels) o.plugins.legend.labels.color = t.text;
			chart.update('none');
		},
		destroy() {
			chart.destroy();
		}
	};
}
