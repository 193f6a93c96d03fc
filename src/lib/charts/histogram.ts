// Histogram of board time per inference: bins computed by the caller (see state/stats.ts), drawn
// as bars over a category axis.
import type { Chart } from 'chart.js';
import type { ChartHandle } from './mount';
import { chartJs } from './register';
import type { ChartTheme } from './theme';

export interface HistogramData {
	/** One label per bin, e.g. "12–14 µs". */
	labels: readonly string[];
	counts: readonly number[];
}

export function createHistogram(
	canvas: HTMLCanvasElement,
	axes: { xLabel: string; yLabel: string; label: string; color: string },
	data: HistogramData,
	theme: ChartTheme
): ChartHandle<HistogramData> {
	const ChartJs = chartJs();
	const chart: Chart<'bar', number[], string> = new ChartJs<'bar', number[], string>(canvas, {
		type: 'bar',
		data: {
			labels: data.labels.slice(),
			datasets: [
				{
					label: axes.label,
					data: data.counts.slice(),
					backgroundColor: axes.color,
					categoryPercentage: 1,
					barPercentage: 0.92
				}
			]
		},
		options: {
			animation: false,
			responsive: true,
			maintainAspectRatio: false,
			scales: {
				x: {
					type: 'category',
					title: { display: true, text: axes.xLabel, color: theme.text },
					ticks: { color: theme.text, maxRotation: 0, autoSkip: true },
					grid: { display: false }
				},
				y: {
					type: 'linear',
					beginAtZero: true,
					title: { display: true, text: axes.yLabel, color: theme.text },
					ticks: { color: theme.text, precision: 0 },
					grid: { color: theme.grid }
				}
			},
			plugins: { legend: { display: false }, tooltip: { animation: false } }
		}
	});
	return {
		chart: chart as unknown as Chart,
		update(next) {
			chart.data.labels = next.labels.slice();
			const set = chart.data.datasets[0];
			if (set) set.data = next.counts.slice();
			chart.update('none');
		}
	};
}
