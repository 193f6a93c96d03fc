// The per-op cost model (issue 10): work counted from op kinds and shapes, priced by hand-made
// coefficients, and the time on a board profile from the committed ones. Every expected value below
// is worked out by hand in the comment beside it.
import { describe, expect, it } from 'vitest';
import { sineModel } from '../../../src/lib/demos/sine/sine';
import { COST_COEFFICIENTS } from '../../../src/lib/model/fit/cost-coefficients';
import {
	costClass,
	costFeatures,
	estimateCost,
	opWork,
	type CostModelInput,
	type TargetCoefficients
} from '../../../src/lib/model/fit/cost-model';
import {
	estimateInferenceTime,
	formatDuration,
	PROFILE_COST
} from '../../../src/lib/model/fit/inference-time';
import { PROFILE_IDS } from '../../../src/lib/model/fit/board-profiles';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import type { OpParams } from '../../../src/lib/model/ops/op-params';

const params = (p: Record<string, number>) => p as unknown as OpParams;

/**
 * x [1, 8] int8 → FULLY_CONNECTED (weights [4, 8]) → h [1, 4] → ADD (h + h) → a [1, 4]
 * → SOFTMAX → y [1, 4]; and a second graph: CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D, BATCH_MATMUL.
 */
const mlp: CostModelInput = {
	tensors: [
		{ type: 'int8', shape: [1, 8] }, // 0 x
		{ type: 'int8', shape: [4, 8] }, // 1 weights
		{ type: 'int32', shape: [4] }, // 2 bias
		{ type: 'int8', shape: [1, 4] }, // 3 h
		{ type: 'int8', shape: [1, 4] }, // 4 a
		{ type: 'int8', shape: [1, 4] } // 5 y
	],
	ops: [
		{ kind: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], params: params({}) },
		{ kind: 'ADD', inputs: [3, 3], outputs: [4], params: params({}) },
		{ kind: 'SOFTMAX', inputs: [4], outputs: [5], params: params({}) }
	]
};

const convs: CostModelInput = {
	tensors: [
		{ type: 'float32', shape: [1, 6, 6, 3] }, // 0 input
		{ type: 'float32', shape: [5, 3, 3, 3] }, // 1 conv filter [Cout, KH, KW, Cin]
		{ type: 'float32', shape: [1, 4, 4, 5] }, // 2 conv out (VALID)
		{ type: 'float32', shape: [1, 3, 3, 5] }, // 3 depthwise filter [1, KH, KW, Cout]
		{ type: 'float32', shape: [1, 2, 2, 5] }, // 4 depthwise out (VALID)
		{ type: 'float32', shape: [1, 1, 1, 5] }, // 5 max pool 2×2 out
		{ type: 'int8', shape: [2, 3, 7] }, // 6 lhs, adj_x: [batch, depth 3, rows 7]
		{ type: 'int8', shape: [2, 3, 5] }, // 7 rhs [batch, depth, cols]
		{ type: 'int8', shape: [2, 7, 5] } // 8 out
	],
	ops: [
		{ kind: 'CONV_2D', inputs: [0, 1, null], outputs: [2], params: params({}) },
		{ kind: 'DEPTHWISE_CONV_2D', inputs: [2, 3, null], outputs: [4], params: params({}) },
		{
			kind: 'MAX_POOL_2D',
			inputs: [4],
			outputs: [5],
			params: params({ filterH: 2, filterW: 2 })
		},
		{ kind: 'BATCH_MATMUL', inputs: [6, 7], outputs: [8], params: params({ adjX: 1, adjY: 0 }) }
	]
};

const coefficients: TargetCoefficients = {
	unit: 'instructions',
	perInference: 100,
	perOp: 10,
	classes: {
		'FULLY_CONNECTED:int8': { mac: 2, element: 30 },
		'ADD:int8': { mac: 0, element: 5 },
		'SOFTMAX:int8': { mac: 40, element: 20 }
	},
	fallback: { mac: 3, element: 7 }
};

describe('opWork', () => {
	it('counts the MACs and outputs of each op from its shapes', () => {
		const w = mlp.ops.map((op) => opWork(mlp, op));
		// FC: 4 outputs × depth 8 = 32 MACs; ADD: 4 outputs, no MACs; SOFTMAX: reduces its 4 inputs.
		expect(w.map((x) => [x.macs, x.elements])).toEqual([
			[32, 4],
			[0, 4],
			[4, 4]
		]);
		expect(w.map(costClass)).toEqual(['FULLY_CONNECTED:int8', 'ADD:int8', 'SOFTMAX:int8']);
	});

	it('counts convolution, depthwise, pool and batch-matmul windows', () => {
		const w = convs.ops.map((op) => opWork(convs, op));
		expect(w.map((x) => [x.macs, x.elements])).toEqual([
			// CONV_2D: 4·4·5 = 80 outputs × 3·3·3 = 27 taps = 2160
			[2160, 80],
			// DEPTHWISE: 2·2·5 = 20 outputs × 3·3 taps = 180
			[180, 20],
			// MAX_POOL 2×2: 5 outputs × 4 = 20
			[20, 5],
			// BATCH_MATMUL with adj_x: depth is the lhs's second-last dim, 3; 2·7·5 = 70 outputs × 3 = 210
			[210, 70]
		]);
		expect(w.map(costClass)).toEqual([
			'CONV_2D:float32',
			'DEPTHWISE_CONV_2D:float32',
			'MAX_POOL_2D:float32',
			'BATCH_MATMUL:int8'
		]);
	});
});

describe('estimateCost', () => {
	it('sums the per-inference, per-op and per-class costs', () => {
		const e = estimateCost(mlp, coefficients);
		// FC 10 + 2·32 + 30·4 = 194; ADD 10 + 5·4 = 30; SOFTMAX 10 + 40·4 + 20·4 = 250.
		expect(e.ops.map((o) => o.cost)).toEqual([194, 30, 250]);
		// 100 + 194 + 30 + 250
		expect(e.total).toBe(574);
		expect(e.ops.every((o) => o.calibrated)).toBe(true);
		expect(e.unit).toBe('instructions');
	});

	it('prices a class the calibration never saw with the fallback, and says so', () => {
		const e = estimateCost(convs, coefficients);
		// 10 + 3·2160 + 7·80 = 7050; 10 + 3·180 + 7·20 = 690; 10 + 3·20 + 7·5 = 105;
		// 10 + 3·210 + 7·70 = 1130; + 100 per inference = 9075.
		expect(e.ops.map((o) => o.cost)).toEqual([7050, 690, 105, 1130]);
		expect(e.total).toBe(9075);
		expect(e.ops.some((o) => o.calibrated)).toBe(false);
	});

	it('is linear in the features the calibration fits', () => {
		const classes = ['ADD:int8', 'FULLY_CONNECTED:int8', 'SOFTMAX:int8'];
		const f = costFeatures(mlp, classes);
		expect(f).toEqual([1, 3, 0, 4, 32, 4, 4, 4]);
		const x = [100, 10, 0, 5, 2, 30, 40, 20];
		expect(f.reduce((a, v, i) => a + v * x[i]!, 0)).toBe(estimateCost(mlp, coefficients).total);
	});
});

describe('estimateInferenceTime', () => {
	const sine = readBlob(sineModel().blob);

	it('is the calibrated cycles at the profile clock', () => {
		const mega = estimateInferenceTime(sine, 'mega2560')!;
		const cycles = estimateCost(sine, COST_COEFFICIENTS.avr).total;
		expect(mega.cycles).toBe(cycles);
		expect(mega.seconds).toBeCloseTo(cycles / 16e6, 12);
		expect(mega.calibrated).toBe(true);
		const nano = estimateInferenceTime(sine, 'nano33ble')!;
		expect(nano.seconds).toBeCloseTo(
			estimateCost(sine, COST_COEFFICIENTS['cortex-m4']).total / 64e6,
			12
		);
		// The sine MLP's ops (FULLY_CONNECTED int8) are calibrated on both targets.
		expect(nano.uncalibratedOps).toBe(0);
		expect(mega.uncalibratedOps).toBe(0);
	});

	it('labels the profiles borrowed from the Cortex-M4 model as not calibrated', () => {
		const pico = estimateInferenceTime(sine, 'rp2040')!;
		expect(pico.calibrated).toBe(false);
		expect(pico.basis).toMatch(/not measured/);
		// 1.5 cycles per M4 instruction at 133 MHz.
		expect(pico.seconds).toBeCloseTo(
			(1.5 * estimateCost(sine, COST_COEFFICIENTS['cortex-m4']).total) / 133e6,
			12
		);
	});

	it('has no estimate for the host profile (no clock) or an unknown one', () => {
		expect(estimateInferenceTime(sine, 'host')).toBeNull();
		expect(estimateInferenceTime(sine, 'no-such-board')).toBeNull();
	});

	it('says for every profile how its time is obtained', () => {
		expect(Object.keys(PROFILE_COST).sort()).toEqual([...PROFILE_IDS].sort());
	});

	it('formats seconds with three significant digits', () => {
		expect(formatDuration(0.000_012_34)).toBe('12.3 µs');
		expect(formatDuration(0.001_5)).toBe('1.50 ms');
		expect(formatDuration(0.25)).toBe('250 ms');
		expect(formatDuration(2)).toBe('2.00 s');
		expect(formatDuration(NaN)).toBe('—');
	});
});
