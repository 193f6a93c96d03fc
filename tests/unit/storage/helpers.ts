// Shared fixtures for the storage tests (fake-indexeddb must be imported by each test file first).
import type { NewRun, RunPoint } from '../../../src/lib/storage';
import { scalarPointTensors } from '../../../src/lib/storage/point-tensors';

let dbCounter = 0;

/** A database name no other test uses, so tests never see each other's data. */
export function freshName(): string {
	return `tinytwin-test-${process.pid}-${++dbCounter}`;
}

export function newRun(overrides: Partial<NewRun> = {}): NewRun {
	return {
		demo: 'sine',
		model: { name: 'sine', crc: 0xcbf43926, length: 2404 },
		board: { name: 'TinyTwin host', firmware: '0.1.0', transport: 'virtual' },
		inputs: { source: 'sweep', count: 1000, min: 0, max: 2 * Math.PI },
		tickHz: 1_000_000,
		io: { kind: 'regression', xLabel: 'x', yLabel: 'sin x' },
		...overrides
	};
}

/** Deterministic points index from..from+n−1 of a sine sweep. */
export function points(from: number, n: number): RunPoint[] {
	return Array.from({ length: n }, (_, k) => {
		const index = from + k;
		const x = index / 100;
		const q = Math.round(Math.sin(x) * 120);
		const p = {
			index,
			x,
			truth: Math.sin(x),
			deviceQ: q,
			device: q / 120,
			expectedQ: q,
			expected: q / 120,
			float: Math.fround(Math.sin(x)),
			ticks: 40 + (index % 7)
		};
		return { ...p, tensors: scalarPointTensors(p) };
	});
}
