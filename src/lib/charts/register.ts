// Chart.js with only the parts TinyTwin draws (line, scatter, bar; linear and category axes; legend
// and tooltip), registered once. Importing 'chart.js/auto' would pull every controller and plugin.
import {
	BarController,
	BarElement,
	CategoryScale,
	Chart,
	Legend,
	LinearScale,
	LineController,
	LineElement,
	PointElement,
	ScatterController,
	Tooltip
} from 'chart.js';

let registered = false;

export function chartJs(): typeof Chart {
	if (!registered) {
		Chart.register(
			LineController,
			ScatterController,
			BarController,
			LineElement,
			PointElement,
			BarElement,
			LinearScale,
			CategoryScale,
			Legend,
			Tooltip
		);
		registered = true;
	}
	return Chart;
}
