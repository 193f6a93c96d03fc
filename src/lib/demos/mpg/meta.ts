import type { DemoMeta } from '../demo';

export const mpgMeta: DemoMeta = {
	id: 'mpg',
	title: 'Auto MPG',
	summary: 'Fuel economy (miles per gallon) from horsepower, a small ReLU network, int8.',
	io: {
		kind: 'regression',
		xLabel: 'horsepower',
		xUnit: 'hp',
		yLabel: 'fuel economy',
		yUnit: 'MPG'
	},
	unit: 'cars',
	truthLabel: 'true MPG'
};
