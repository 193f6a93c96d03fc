import type { DemoMeta } from '../demo';
import { SINE_X_MAX } from './sine';

export const sineMeta: DemoMeta = {
	id: 'sine',
	title: 'Sine (hello_world)',
	summary: `y = sin x for x in [0, 2π] (${SINE_X_MAX.toFixed(2)}), a 1→16→16→1 ReLU network, int8.`,
	io: { kind: 'regression', xLabel: 'x', yLabel: 'sin x' },
	unit: 'points',
	truthLabel: 'sin x'
};
