// The golden-vector cases (see scripts/make-golden.ts): small hand-built models covering every op and
// variant of docs/model-format.md §5, plus the sine and MPG demos, each with its seeded inputs.

import { mpgModel } from '../src/lib/demos/mpg/mpg';
import { sineModel } from '../src/lib/demos/sine/sine';
import type { Activation, Model, Op, Quantization, Tensor } from '../src/lib/model/ir/ir';
import { mulberry32, randomInt, type Rng } from '../src/lib/model/mlp/rng';

const q = (scale: number, zeroPoint: number): Quantization => ({
	scales: [Math.fround(scale)],
	zeroPoints: [zeroPoint],
	axis: 0
});

/** A model under construction: tensors appended in order, ops in execution order. */
class Builder {
	readonly tensors: Tensor[] = [];
	readonly ops: Op[] = [];
	constructor(private readonly rng: Rng) {}
	t(
		name: string,
		type: Tensor['type'],
		shape: number[],
		quant?: Quantization,
		data?: Tensor['data']
	): number {
		return (
			this.tensors.push({ name, type, shape, ...(quant && { quant }), ...(data && { data }) }) - 1
		);
	}
	int8Weights(units: number, depth: number, scales: number[]): number {
		const data = Int8Array.from({ length: units * depth }, () => randomInt(this.rng, -127, 127));
		const s = scales.map(Math.fround);
		return this.t(
			'weights',
			'int8',
			[units, depth],
			{ scales: s, zeroPoints: s.map(() => 0), axis: 0 },
			data
		);
	}
	int32Bias(units: number, inputScale: number, scales: number[]): number {
		const data = Int32Array.from({ length: units }, () => randomInt(this.rng, -3000, 3000));
		const s = scales.map((w) => Math.fround(Math.fround(inputScale) * Math.fround(w)));
		return this.t(
			'bias',
			'int32',
			[units],
			{ scales: s, zeroPoints: s.map(() => 0), axis: 0 },
			data
		);
	}
	floatConst(shape: number[], lo: number, hi: number): number {
		const n = shape.reduce((a, b) => a * b, 1);
		const data = Float32Array.from({ length: n }, () => lo + (hi - lo) * this.rng());
		return this.t('const', 'float32', shape, undefined, data);
	}
	model(name: string, inputs: number[], outputs: number[]): Model {
		return { name, tensors: this.tensors, ops: this.ops, inputs, outputs };
	}
}

/** Input records: all −128, all 127, then seeded random int8. */
function int8Inputs(rng: Rng, bytes: number, count: number): Uint8Array {
	const out = new Int8Array(bytes * count);
	for (let k = 0; k < count; k++) {
		for (let i = 0; i < bytes; i++) {
			out[k * bytes + i] = k === 0 ? -128 : k === 1 ? 127 : randomInt(rng, -128, 127);
		}
	}
	return new Uint8Array(out.buffer);
}

/** Input records of float32: a few specials first (0, −0, ±1e10 …), then uniform in [lo, hi]. */
function floatInputs(
	rng: Rng,
	elements: number,
	count: number,
	lo: number,
	hi: number,
	specials: number[] = []
): Uint8Array {
	const out = new Float32Array(elements * count);
	for (let i = 0; i < out.length; i++) out[i] = specials[i] ?? lo + (hi - lo) * rng();
	return new Uint8Array(out.buffer);
}

function allInt8(): Uint8Array {
	return Uint8Array.from({ length: 256 }, (_, i) => (i - 128) & 0xff);
}

export interface Spec {
	name: string;
	description: string;
	model: Model;
	inputs: (rng: Rng, inputBytes: number) => { bytes: Uint8Array; count: number };
	maxUlp?: number;
}

function fcInt8(
	name: string,
	description: string,
	o: {
		batch: number;
		depth: number;
		units: number;
		perChannel: boolean;
		bias: boolean;
		activation: Activation;
		out: [number, number];
	},
	seed: number
): Spec {
	const rng = mulberry32(seed);
	const b = new Builder(rng);
	const inScale = 0.05;
	const x = b.t('input', 'int8', [o.batch, o.depth], q(inScale, -3));
	const scales = o.perChannel
		? Array.from({ length: o.units }, (_, u) => 0.004 + 0.003 * u)
		: [0.02];
	const w = b.int8Weights(o.units, o.depth, scales);
	const bias = o.bias ? b.int32Bias(o.units, inScale, scales) : null;
	const y = b.t('output', 'int8', [o.batch, o.units], q(o.out[0], o.out[1]));
	b.ops.push({
		kind: 'FULLY_CONNECTED',
		inputs: [x, w, bias],
		outputs: [y],
		activation: o.activation
	});
	return {
		name,
		description,
		model: b.model(name, [x], [y]),
		inputs: (r, n) => ({ bytes: int8Inputs(r, n, 48), count: 48 })
	};
}

function unaryInt8(
	name: string,
	kind: 'RELU' | 'RELU6',
	inQ: Quantization,
	outQ: Quantization,
	seed: number
): Spec {
	const b = new Builder(mulberry32(seed));
	const x = b.t('input', 'int8', [1, 16], inQ);
	const y = b.t('output', 'int8', [1, 16], outQ);
	b.ops.push({ kind, inputs: [x], outputs: [y] });
	return {
		name,
		description: `${kind} int8 (input scale ${inQ.scales[0]} zp ${inQ.zeroPoints[0]} → output scale ${outQ.scales[0]} zp ${outQ.zeroPoints[0]})`,
		model: b.model(name, [x], [y]),
		inputs: (r, n) => ({ bytes: int8Inputs(r, n, 32), count: 32 })
	};
}

function addInt8(
	name: string,
	a: number[],
	bShape: number[],
	activation: Activation,
	seed: number
): Spec {
	const b = new Builder(mulberry32(seed));
	const x1 = b.t('a', 'int8', a, q(0.07, 4));
	const x2 = b.t('b', 'int8', bShape, q(0.03, -20));
	const out = a.map((d, i) => Math.max(d, bShape[bShape.length - a.length + i] ?? 1));
	const y = b.t('sum', 'int8', out, q(0.09, -6));
	b.ops.push({ kind: 'ADD', inputs: [x1, x2], outputs: [y], activation });
	return {
		name,
		description: `ADD int8 [${a}] + [${bShape}] → [${out}], activation ${activation}`,
		model: b.model(name, [x1, x2], [y]),
		inputs: (r, n) => ({ bytes: int8Inputs(r, n, 24), count: 24 })
	};
}

function softmaxInt8(name: string, scale: number, zp: number, beta: number, seed: number): Spec {
	const b = new Builder(mulberry32(seed));
	const x = b.t('logits', 'int8', [2, 10], q(scale, zp));
	const y = b.t('probs', 'int8', [2, 10], q(1 / 256, -128));
	b.ops.push({ kind: 'SOFTMAX', inputs: [x], outputs: [y], beta });
	return {
		name,
		description: `SOFTMAX int8, input scale ${scale} zp ${zp}, beta ${beta}, 2 rows of 10`,
		model: b.model(name, [x], [y]),
		inputs: (r, n) => ({ bytes: int8Inputs(r, n, 40), count: 40 })
	};
}

/** Every golden case, in the order of index.json. */
export function specs(): Spec[] {
	const list: Spec[] = [
		fcInt8(
			'fc_int8_per_tensor',
			'FULLY_CONNECTED int8, per-tensor weights, bias, no activation',
			{
				batch: 1,
				depth: 8,
				units: 4,
				perChannel: false,
				bias: true,
				activation: 'none',
				out: [0.1, 5]
			},
			11
		),
		fcInt8(
			'fc_int8_per_channel',
			'FULLY_CONNECTED int8, per-channel weights, bias, batch of 2 rows',
			{
				batch: 2,
				depth: 8,
				units: 6,
				perChannel: true,
				bias: true,
				activation: 'none',
				out: [0.06, -7]
			},
			12
		),
		fcInt8(
			'fc_int8_no_bias',
			'FULLY_CONNECTED int8, per-channel weights, no bias',
			{
				batch: 1,
				depth: 10,
				units: 3,
				perChannel: true,
				bias: false,
				activation: 'none',
				out: [0.04, 0]
			},
			13
		),
		fcInt8(
			'fc_int8_relu',
			'FULLY_CONNECTED int8, per-channel, fused RELU (output zp −20)',
			{
				batch: 1,
				depth: 8,
				units: 5,
				perChannel: true,
				bias: true,
				activation: 'relu',
				out: [0.05, -20]
			},
			14
		),
		fcInt8(
			'fc_int8_relu6',
			'FULLY_CONNECTED int8, per-tensor, fused RELU6 (clamp at zp + 120)',
			{
				batch: 1,
				depth: 8,
				units: 5,
				perChannel: false,
				bias: true,
				activation: 'relu6',
				out: [0.05, -100]
			},
			15
		),
		unaryInt8('relu_int8', 'RELU', q(0.1, 10), q(0.05, -128), 21),
		unaryInt8('relu6_int8', 'RELU6', q(0.1, 0), q(6 / 255, -128), 22),
		addInt8('add_int8', [1, 12], [1, 12], 'none', 31),
		addInt8('add_int8_broadcast', [2, 1, 4], [3, 1], 'none', 32),
		addInt8('add_int8_broadcast_rank4_relu', [1, 2, 1, 3], [2, 1, 4, 1], 'relu', 33),
		softmaxInt8('softmax_int8_scale_0.01', 0.01, -10, 1, 41),
		softmaxInt8('softmax_int8_scale_0.1', 0.1, 0, 1, 42),
		softmaxInt8('softmax_int8_scale_0.25_beta_0.5', 0.25, 20, 0.5, 43),
		softmaxInt8('softmax_int8_scale_1', 1, -128, 1, 44),
		softmaxInt8('softmax_int8_scale_40', 40, 0, 1, 45)
	];

	{
		const b = new Builder(mulberry32(51));
		const x = b.t('input', 'float32', [2, 5]);
		const w = b.floatConst([3, 5], -1, 1);
		const bias = b.floatConst([3], -0.5, 0.5);
		const y = b.t('output', 'float32', [2, 3]);
		b.ops.push({ kind: 'FULLY_CONNECTED', inputs: [x, w, bias], outputs: [y], activation: 'relu' });
		list.push({
			name: 'fc_float32_relu',
			description: 'FULLY_CONNECTED float32, bias, fused RELU, batch 2',
			model: b.model('fc_float32_relu', [x], [y]),
			inputs: (r, n) => ({ bytes: floatInputs(r, n / 4, 24, -3, 3), count: 24 })
		});
	}
	{
		const b = new Builder(mulberry32(52));
		const x = b.t('input', 'float32', [1, 7]);
		const w = b.floatConst([4, 7], -2, 2);
		const y = b.t('output', 'float32', [1, 4]);
		b.ops.push({ kind: 'FULLY_CONNECTED', inputs: [x, w, null], outputs: [y], activation: 'none' });
		list.push({
			name: 'fc_float32_no_bias',
			description: 'FULLY_CONNECTED float32, no bias (adds +0.0), no activation',
			model: b.model('fc_float32_no_bias', [x], [y]),
			inputs: (r, n) => ({
				bytes: floatInputs(r, n / 4, 24, -100, 100, [0, -0, 0, -0, 0, -0, 0]),
				count: 24
			})
		});
	}
	{
		const b = new Builder(mulberry32(53));
		const inQ = q(0.02, 3);
		const x = b.t('input', 'float32', [1, 4]);
		const xq = b.t('input_int8', 'int8', [1, 4], inQ);
		const w = b.int8Weights(3, 4, [0.01, 0.02, 0.03]);
		const bias = b.int32Bias(3, 0.02, [0.01, 0.02, 0.03]);
		const yq = b.t('output_int8', 'int8', [1, 3], q(0.03, 2));
		const y = b.t('output', 'float32', [1, 3]);
		b.ops.push({ kind: 'QUANTIZE', inputs: [x], outputs: [xq] });
		b.ops.push({
			kind: 'FULLY_CONNECTED',
			inputs: [xq, w, bias],
			outputs: [yq],
			activation: 'none'
		});
		b.ops.push({ kind: 'DEQUANTIZE', inputs: [yq], outputs: [y] });
		// Specials: saturation, ±0, and exact ties x/scale = ±k.5 (round half away from zero).
		const s = Math.fround(0.02);
		const specials = [1e10, -1e10, 0, -0, 2.5 * s, -2.5 * s, 0.5 * s, -0.5 * s];
		list.push({
			name: 'quantize_fc_dequantize',
			description: 'QUANTIZE (float → int8) → FULLY_CONNECTED int8 → DEQUANTIZE (→ float)',
			model: b.model('quantize_fc_dequantize', [x], [y]),
			inputs: (r, n) => ({ bytes: floatInputs(r, n / 4, 40, -3, 3, specials), count: 40 })
		});
	}
	for (const kind of ['RELU', 'RELU6'] as const) {
		const name = `${kind.toLowerCase()}_float32`;
		const b = new Builder(mulberry32(54));
		const x = b.t('input', 'float32', [2, 4]);
		const y = b.t('output', 'float32', [2, 4]);
		b.ops.push({ kind, inputs: [x], outputs: [y] });
		list.push({
			name,
			description: `${kind} float32 (−0 stays −0, as x < 0 ? 0 : x)`,
			model: b.model(name, [x], [y]),
			inputs: (r, n) => ({
				bytes: floatInputs(
					r,
					n / 4,
					16,
					-10,
					10,
					[-0, 0, 6, 6.000001, -1e-30, 1e30, -1e30, 5.999999]
				),
				count: 16
			})
		});
	}
	{
		const b = new Builder(mulberry32(55));
		const x1 = b.t('a', 'float32', [2, 3]);
		const x2 = b.t('b', 'float32', [3]);
		const y = b.t('sum', 'float32', [2, 3]);
		b.ops.push({ kind: 'ADD', inputs: [x1, x2], outputs: [y], activation: 'relu6' });
		list.push({
			name: 'add_float32_broadcast_relu6',
			description: 'ADD float32 [2,3] + [3], fused RELU6',
			model: b.model('add_float32_broadcast_relu6', [x1, x2], [y]),
			inputs: (r, n) => ({ bytes: floatInputs(r, n / 4, 16, -8, 8), count: 16 })
		});
	}
	{
		const b = new Builder(mulberry32(56));
		const x = b.t('logits', 'float32', [2, 6]);
		const y = b.t('probs', 'float32', [2, 6]);
		b.ops.push({ kind: 'SOFTMAX', inputs: [x], outputs: [y], beta: 1 });
		list.push({
			name: 'softmax_float32',
			description:
				'SOFTMAX float32, beta 1 (expf is not correctly rounded on every libm: compare within 4 ulp)',
			model: b.model('softmax_float32', [x], [y]),
			inputs: (r, n) => ({ bytes: floatInputs(r, n / 4, 16, -6, 6), count: 16 }),
			maxUlp: 4
		});
	}
	{
		// Two inputs, two outputs (in reverse production order), an output that is also read by an op.
		const b = new Builder(mulberry32(57));
		const a = b.t('a', 'int8', [1, 4], q(0.05, 0));
		const c = b.t('c', 'int8', [1, 4], q(0.05, 10));
		const s = b.t('sum', 'int8', [1, 4], q(0.1, 0));
		const w = b.int8Weights(5, 4, [0.01, 0.012, 0.014, 0.016, 0.018]);
		const bias = b.int32Bias(5, 0.1, [0.01, 0.012, 0.014, 0.016, 0.018]);
		const logits = b.t('logits', 'int8', [1, 5], q(0.08, -4));
		const probs = b.t('probs', 'int8', [1, 5], q(1 / 256, -128));
		b.ops.push({ kind: 'ADD', inputs: [a, c], outputs: [s], activation: 'none' });
		b.ops.push({
			kind: 'FULLY_CONNECTED',
			inputs: [s, w, bias],
			outputs: [logits],
			activation: 'none'
		});
		b.ops.push({ kind: 'SOFTMAX', inputs: [logits], outputs: [probs], beta: 1 });
		list.push({
			name: 'multi_io',
			description:
				'inputs (a, c) → ADD → FULLY_CONNECTED → logits → SOFTMAX → probs; outputs (probs, logits)',
			model: b.model('multi_io', [a, c], [probs, logits]),
			inputs: (r, n) => ({ bytes: int8Inputs(r, n, 32), count: 32 })
		});
	}
	const sine = sineModel();
	list.push({
		name: 'sine_int8',
		description: 'The sine demo, int8, every int8 input',
		model: sine.int8Model,
		inputs: () => ({ bytes: allInt8(), count: 256 })
	});
	list.push({
		name: 'sine_float32',
		description: 'The sine demo, float32, 64 inputs across [−1, 7.5]',
		model: sine.floatModel,
		inputs: (r, n) => ({ bytes: floatInputs(r, n / 4, 64, -1, 7.5), count: 64 })
	});
	const mpg = mpgModel();
	list.push({
		name: 'mpg_int8',
		description: 'The Auto MPG demo, int8, every int8 input',
		model: mpg.int8Model,
		inputs: () => ({ bytes: allInt8(), count: 256 })
	});
	return list;
}
