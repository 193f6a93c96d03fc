// The MPG demo's inputs: the test split's cars (horsepower), each against its measured MPG.
import type { CompareSource } from '$lib/compare/source';
import { mlpDemoSource } from '../demo';
import { mpgMeta } from './meta';
import { mpgModel, mpgSplit } from './mpg';

export function mpgTestSource(): CompareSource {
	const test = mpgSplit().test;
	const xs = test.map((r) => r.horsepower);
	return mlpDemoSource(
		mpgMeta,
		mpgModel(),
		xs,
		test.map((r) => r.mpg),
		{
			source: 'test-set',
			count: xs.length,
			min: Math.min(...xs),
			max: Math.max(...xs),
			description: `Auto MPG test split (${xs.length} cars, seed 80)`
		}
	);
}
