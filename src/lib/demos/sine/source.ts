// The sine demo's inputs: `count` evenly spaced x in [0, 2π], each against sin x.
import type { CompareSource } from '$lib/compare/source';
import { mlpDemoSource } from '../demo';
import { sineMeta } from './meta';
import { sineModel, sineSweep, sineTarget, SINE_X_MAX } from './sine';

export function sineSweepSource(count: number): CompareSource {
	const xs = sineSweep(count);
	return mlpDemoSource(sineMeta, sineModel(), xs, xs.map(sineTarget), {
		source: 'sweep',
		count: xs.length,
		min: 0,
		max: SINE_X_MAX,
		description: `${xs.length} evenly spaced x in [0, 2π]`
	});
}
