// A scatter/line chart over two linear axes, updated in place without animation as points stream
// in (and as the axes' titles change). Every point handed to update() is kept in the chart's data (no decimation), so what the
// chart holds is exactly what the run measured — in order of x: the data go to Chart.js unparsed
// (`parsing: false`), and Chart.js then takes every dataset as sorted by x, reading the x range
// from its first and last points and searching it by bisection. Unsorted points (the MPG test
// cars in dataset order) would leave most of them outside the axis, so each series is sorted here.
import type { Chart, ChartDataset } from 'chart.js';
import type { ChartHandle } from './mount';
import { chartJs } from './register';
import type { ChartTheme } from './theme';

export interface XyPoint {
	x: number;
	y: number;
}

export interface XySeries {
	label: string;
	color: string;
	/** 'line': joined in order of x, no markers; 'points': markers only. */
	kind: 'line' | 'points';
	/** In any order; drawn sorted by x. */
	data: readonly XyPoint[];
	dashed?: boolean;
	/** Marker radius in CSS px for 'points' (default 2.5). */
	radius?: number;
}

export interface XyAxes {
	xLabel: string;
	yLabel: string;
	/** The x range shown at least (e.g. a whole sweep while it streams); data outside widen it. */
	xMin?: number;
	xMax?: number;
}

type Dataset = ChartDataset<'scatter', XyPoint[]>;

/** Ascending x; points whose x is not a finite number (never drawn) go last, in their order. */
function byX(p: XyPoint, q: XyPoint): number {
	const pf = Number.isFinite(p.x);
	const qf = Number.isFinite(q.x);
	if (pf && qf) return p.x - q.x;
	return pf ? -1 : qf ? 1 : 0;
}

/** A copy of the series' points sorted by x (Chart.js may attach bookkeeping to it). */
export function sortedPoints(data: readonly XyPoint[]): XyPoint[] {
	return data.slice().sort(byX);
}

function dataset(s: XySeries): Dataset {
	const line = s.kind === 'line';
	return {
		label: s.label,
		data: sortedPoints(s.data),
		borderColor: s.color,
		backgroundColor: s.color,
		showLine: line,
		pointRadius: line ? 0 : (s.radius ?? 2.5),
		pointHoverRadius: line ? 3 : (s.radius ?? 2.5) + 2,
		borderWidth: line ? 2 : 0,
		borderDash: s.dashed ? [6, 4] : []
	};
}

/** What an xy chart shows: its axes and its series. */
export interface XyData {
	axes: XyAxes;
	series: readonly XySeries[];
}

/** A value in a tooltip: six significant digits, integers as they are. */
export function formatTick(v: number): string {
	if (!Number.isFinite(v)) return '—';
	return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

export function createXyChart(
	canvas: HTMLCanvasElement,
	{ axes, series }: XyData,
	theme: ChartTheme
): ChartHandle<XyData> {
	const ChartJs = chartJs();
	const axis = (title: string, min?: number, max?: number) => ({
		type: 'linear' as const,
		suggestedMin: min,
		suggestedMax: max,
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
			// The tooltip lists every series at the x nearest the pointer (board, reference and
			// truth at one x in a sweep), each by name with its value.
			interaction: { mode: 'nearest', axis: 'x', intersect: false },
			scales: {
				x: axis(axes.xLabel, axes.xMin, axes.xMax),
				y: axis(axes.yLabel)
			},
			plugins: {
				legend: { labels: { color: theme.text, boxWidth: 14, boxHeight: 3 } },
				tooltip: {
					animation: false,
					callbacks: {
						title: (items) => {
							const x = items[0]?.parsed.x;
							const name = chart.options.scales?.x?.title?.text ?? 'x';
							return x === undefined || x === null ? '' : `${String(name)} = ${formatTick(x)}`;
						},
						label: (item) => `${item.dataset.label ?? ''}: ${formatTick(item.parsed.y ?? NaN)}`
					}
				}
			}
		}
	});
	return {
		chart: chart as unknown as Chart,
		update({ axes: a, series: next }) {
			const { x, y } = chart.options.scales ?? {};
			if (x && y) {
				Object.assign(x, { suggestedMin: a.xMin, suggestedMax: a.xMax });
				if ('title' in x && x.title) x.title.text = a.xLabel;
				if ('title' in y && y.title) y.title.text = a.yLabel;
			}
			const sets = chart.data.datasets;
			next.forEach((s, i) => {
				const existing = sets[i];
				// The same dataset object keeps its place (and Chart.js's state of it); its look
				// follows the series too (a run of test cars after a sweep: markers, not a line).
				if (existing && existing.label === s.label) Object.assign(existing, dataset(s));
				else sets[i] = dataset(s);
			});
			sets.length = next.length;
			chart.update('none');
		}
	};
}
