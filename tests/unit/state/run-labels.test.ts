// How the Runs page names a run's quantities: units from its io, and the bit-exact tile from the
// output types the run recorded (not "int8" for a float-output model).
import { describe, expect, it } from 'vitest';
import { agreementLabel, runAxisTitles, withUnit } from '../../../src/lib/state/run-labels';
import type { RunPoint, TensorValue } from '../../../src/lib/storage';

function tensor(type: TensorValue['type']): TensorValue {
	const raw =
		type === 'int8' ? Int8Array.of(3) : type === 'int32' ? Int32Array.of(3) : Float32Array.of(3);
	return { type, shape: [1], raw, real: Float64Array.of(3), quant: null };
}

function pointWith(board: TensorValue[]): RunPoint {
	return {
		index: 0,
		x: 0,
		truth: null,
		deviceQ: 3,
		device: 3,
		expectedQ: 3,
		expected: 3,
		float: 3,
		ticks: 1,
		tensors: { inputs: [tensor('float32')], board, expected: board, float: [], truth: null }
	};
}

describe('run labels', () => {
	it('puts the unit in brackets after the label, when there is one', () => {
		expect(withUnit('horsepower', 'hp')).toBe('horsepower (hp)');
		expect(withUnit('x')).toBe('x');
		expect(
			runAxisTitles({
				kind: 'regression',
				xLabel: 'horsepower',
				xUnit: 'hp',
				yLabel: 'fuel economy',
				yUnit: 'MPG'
			})
		).toEqual({ x: 'horsepower (hp)', y: 'fuel economy (MPG)' });
		expect(runAxisTitles({ kind: 'regression', xLabel: 'x', yLabel: 'sin x' })).toEqual({
			x: 'x',
			y: 'sin x'
		});
	});

	it('names the output type the board produced, or says "expectation" when there is not one', () => {
		expect(agreementLabel([pointWith([tensor('int8')])])).toBe('Board int8 = expected int8');
		expect(agreementLabel([pointWith([tensor('float32')])])).toBe(
			'Board float32 = expected float32'
		);
		expect(agreementLabel([pointWith([tensor('int8'), tensor('float32')])])).toBe(
			'Board = expectation'
		);
		expect(agreementLabel([])).toBe('Board = expectation');
	});
});
