// CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D and AVERAGE_POOL_2D on small hand-computed cases, end to
// end (IR → blob → reference executor): TFLite's SAME padding at borders (the odd padding goes to the
// bottom/right), stride, dilation, depth multiplier, per-channel requantization, pools that count
// only covered elements with TFLM's rounding; then the blob checks (BAD_OP, BAD_PARAMS).
import { describe, expect, it } from 'vitest';
import { BlobError } from '../../../src/lib/model/format/blob-format';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Activation, Model, Quantization } from '../../../src/lib/model/ir/ir';
import type { Padding } from '../../../src/lib/model/ops/conv-geometry';
import { pq, runModel, tensor } from './helpers';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

interface ConvCase {
	kind?: 'CONV_2D' | 'DEPTHWISE_CONV_2D';
	type: 'int8' | 'float32';
	x: number[];
	xShape: number[];
	w: number[];
	wShape: number[];
	bias?: number[];
	yShape: number[];
	padding: Padding;
	stride?: [number, number];
	dilation?: [number, number];
	activation?: Activation;
	/** int8 only: input zero point (real values are x; stored x + zp), weight scales, output scale. */
	inZp?: number;
	wScales?: number[];
	outScale?: number;
}

function convModel(c: ConvCase): Model {
	const int8 = c.type === 'int8';
	const wScales = c.wScales ?? [1];
	const wq: Quantization = {
		scales: wScales.map(Math.fround),
		zeroPoints: wScales.map(() => 0),
		axis: c.kind === 'DEPTHWISE_CONV_2D' ? 3 : 0
	};
	const tensors = [
		tensor('x', c.type, c.xShape, int8 ? pq(1, c.inZp ?? 0) : undefined),
		tensor(
			'w',
			c.type,
			c.wShape,
			int8 ? wq : undefined,
			int8 ? Int8Array.from(c.w) : Float32Array.from(c.w)
		),
		tensor('y', c.type, c.yShape, int8 ? pq(c.outScale ?? 1, 0) : undefined)
	];
	if (c.bias) {
		tensors.push(
			tensor(
				'b',
				int8 ? 'int32' : 'float32',
				[c.bias.length],
				int8 ? { ...wq, axis: 0 } : undefined,
				int8 ? Int32Array.from(c.bias) : Float32Array.from(c.bias)
			)
		);
	}
	return {
		name: 'conv',
		tensors,
		ops: [
			{
				kind: c.kind ?? 'CONV_2D',
				inputs: [0, 1, c.bias ? 3 : null],
				outputs: [2],
				padding: c.padding,
				strideH: c.stride?.[0] ?? 1,
				strideW: c.stride?.[1] ?? 1,
				dilationH: c.dilation?.[0] ?? 1,
				dilationW: c.dilation?.[1] ?? 1,
				activation: c.activation ?? 'none'
			}
		],
		inputs: [0],
		outputs: [2]
	};
}

function runConv(c: ConvCase): number[] {
	const x =
		c.type === 'int8' ? Int8Array.from(c.x, (v) => v + (c.inZp ?? 0)) : Float32Array.from(c.x);
	return Array.from(runModel(convModel(c), x)[0]!);
}

const ones = (n: number) => new Array<number>(n).fill(1);

describe('CONV_2D', () => {
	it('SAME 3×3 sums only the taps inside the input (padding is real zero, not the zero point)', () => {
		// x = 1…9 on 3×3, all-ones filter: each output is the sum of its in-image neighbourhood.
		// Input zero point 5: padded taps must add 0, not (0 − 5)·w.
		const want = [12, 21, 16, 27, 45, 33, 24, 39, 28];
		for (const type of ['int8', 'float32'] as const) {
			const got = runConv({
				type,
				x: range(9),
				xShape: [1, 3, 3, 1],
				w: ones(9),
				wShape: [1, 3, 3, 1],
				yShape: [1, 3, 3, 1],
				padding: 'same',
				inZp: 5
			});
			expect(got).toEqual(want);
		}
	});

	it('stride 2 SAME on an even size pads the bottom and right only (TFLite)', () => {
		// 4×4 input 1…16, 3×3 ones, stride 2: total padding 1 per axis → 0 before, 1 after.
		// Windows: rows/cols 0–2 → 54; cols 2–3 → 45; rows 2–3 → 72; both → 54. int8 output scale 2:
		// 27, 22.5 → 23 (ties away from zero), 36, 27. Bias 0 real.
		const base: ConvCase = {
			type: 'float32',
			x: range(16),
			xShape: [1, 4, 4, 1],
			w: ones(9),
			wShape: [1, 3, 3, 1],
			yShape: [1, 2, 2, 1],
			padding: 'same',
			stride: [2, 2]
		};
		expect(runConv(base)).toEqual([54, 45, 72, 54]);
		expect(runConv({ ...base, type: 'int8', outScale: 2, bias: [0] })).toEqual([27, 23, 36, 27]);
	});

	it('dilation 2 VALID reads every other element', () => {
		// 5×5 input 1…25, 3×3 ones dilated by 2 covers rows and cols 0, 2, 4: 1+3+5+11+13+15+21+23+25.
		for (const type of ['int8', 'float32'] as const) {
			const got = runConv({
				type,
				x: range(25),
				xShape: [1, 5, 5, 1],
				w: ones(9),
				wShape: [1, 3, 3, 1],
				yShape: [1, 1, 1, 1],
				padding: 'valid',
				dilation: [2, 2]
			});
			expect(got).toEqual([117]);
		}
	});

	it('requantizes per output channel, adds the bias, and clamps a fused RELU', () => {
		// 1×1 conv over 2 channels, x = [3, −5]. Filter 0 = [2, 1] at scale 0.5: acc 1 + bias 4 = 5 →
		// 2.5 → 3. Filter 1 = [1, 1] at scale 0.25: acc −2 + bias −9 = −11 → −2.75 → −3 → RELU 0.
		const got = runConv({
			type: 'int8',
			x: [3, -5],
			xShape: [1, 1, 1, 2],
			w: [2, 1, 1, 1],
			wShape: [2, 1, 1, 2],
			wScales: [0.5, 0.25],
			bias: [4, -9],
			yShape: [1, 1, 1, 2],
			padding: 'valid',
			activation: 'relu'
		});
		expect(got).toEqual([3, 0]);
	});

	it('groups: each filter reads its own slice of the input channels', () => {
		// Input 1×1×4 = [1, 2, 3, 4], filters [2, 1, 1, 2] (Cin/groups = 2, 2 groups of one filter):
		// filter 0 · [1, 2] = [1, 1]·[1, 2] = 3; filter 1 · [3, 4] = [1, −1]·[3, 4] = −1.
		const got = runConv({
			type: 'float32',
			x: [1, 2, 3, 4],
			xShape: [1, 1, 1, 4],
			w: [1, 1, 1, -1],
			wShape: [2, 1, 1, 2],
			yShape: [1, 1, 1, 2],
			padding: 'valid'
		});
		expect(got).toEqual([3, -1]);
	});
});

describe('DEPTHWISE_CONV_2D', () => {
	// Input W = 3 positions × 2 channels [[1, 2], [3, 4], [5, 6]], 1×3 filter, multiplier 2:
	// output channel oc = ic·2 + m; w[t][oc] = (t + 1)·[1, −1, 2, −2][oc].
	// oc 0: Σ (t+1)·x[t][0] = 1 + 6 + 15 = 22; oc 1: −22; oc 2: 2·(2 + 8 + 18) = 56; oc 3: −56.
	const w = [0, 1, 2].flatMap((t) => [1, -1, 2, -2].map((k) => (t + 1) * k));
	const base: ConvCase = {
		kind: 'DEPTHWISE_CONV_2D',
		type: 'float32',
		x: range(6),
		xShape: [1, 1, 3, 2],
		w,
		wShape: [1, 1, 3, 4],
		bias: [1, 2, 3, 4],
		yShape: [1, 1, 1, 4],
		padding: 'valid'
	};

	it('depth multiplier 2 maps output channel ic·M + m to input channel ic', () => {
		expect(runConv(base)).toEqual([23, -20, 59, -52]);
		expect(runConv({ ...base, type: 'int8', wScales: [1, 1, 1, 1] })).toEqual([23, -20, 59, -52]);
	});

	it('reads a rank-3 [N, W, C] feature map as [N, 1, W, C] (Conv1D)', () => {
		const got = runConv({ ...base, xShape: [1, 3, 2], yShape: [1, 1, 4] });
		expect(got).toEqual([23, -20, 59, -52]);
	});

	it('SAME pads one tap on each side for a 3-tap window', () => {
		// Channel 0 only, multiplier 1, w = [1, 10, 100]: out[i] = x[i−1] + 10·x[i] + 100·x[i+1].
		const got = runConv({
			kind: 'DEPTHWISE_CONV_2D',
			type: 'float32',
			x: [1, 2, 3],
			xShape: [1, 1, 3, 1],
			w: [1, 10, 100],
			wShape: [1, 1, 3, 1],
			yShape: [1, 1, 3, 1],
			padding: 'same'
		});
		expect(got).toEqual([210, 321, 32]);
	});
});

function poolModel(
	kind: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D',
	type: 'int8' | 'float32',
	width: number,
	filter: number,
	stride: number,
	outWidth: number
): Model {
	const q = type === 'int8' ? pq(0.5, 0) : undefined;
	return {
		name: 'pool',
		tensors: [tensor('x', type, [1, 1, width, 1], q), tensor('y', type, [1, 1, outWidth, 1], q)],
		ops: [
			{
				kind,
				inputs: [0],
				outputs: [1],
				padding: 'same',
				strideH: 1,
				strideW: stride,
				filterH: 1,
				filterW: filter,
				activation: 'none'
			}
		],
		inputs: [0],
		outputs: [1]
	};
}

describe('MAX_POOL_2D and AVERAGE_POOL_2D', () => {
	const x = [1, 2, -1, -2, 7];
	const run = (m: Model, v: number[], type: 'int8' | 'float32') =>
		Array.from(runModel(m, type === 'int8' ? Int8Array.from(v) : Float32Array.from(v))[0]!);

	it('stride 2 SAME: the last window covers one element; int8 averages round half away from zero', () => {
		// Width 5, window 2, stride 2: 3 outputs, total padding 1 → all of it after the input.
		// Windows [1, 2], [−1, −2], [7]: averages 1.5 → 2, −1.5 → −2, 7; maxima 2, −1, 7.
		expect(run(poolModel('AVERAGE_POOL_2D', 'int8', 5, 2, 2, 3), x, 'int8')).toEqual([2, -2, 7]);
		expect(run(poolModel('AVERAGE_POOL_2D', 'float32', 5, 2, 2, 3), x, 'float32')).toEqual([
			1.5, -1.5, 7
		]);
		expect(run(poolModel('MAX_POOL_2D', 'int8', 5, 2, 2, 3), x, 'int8')).toEqual([2, -1, 7]);
		expect(run(poolModel('MAX_POOL_2D', 'float32', 5, 2, 2, 3), x, 'float32')).toEqual([2, -1, 7]);
	});

	it('divides a border window by the elements it covers', () => {
		// Width 3, window 3, stride 1, SAME: one padded element each side. [1, 2, 4]:
		// (1 + 2) / 2 = 1.5 → 2; 7 / 3 → 2; (2 + 4) / 2 = 3. float: 1.5, 7/3 in binary32, 3.
		const m = (t: 'int8' | 'float32') => poolModel('AVERAGE_POOL_2D', t, 3, 3, 1, 3);
		expect(run(m('int8'), [1, 2, 4], 'int8')).toEqual([2, 2, 3]);
		expect(run(m('float32'), [1, 2, 4], 'float32')).toEqual([1.5, Math.fround(7 / 3), 3]);
		expect(run(m('int8'), [-1, -2, -4], 'int8')).toEqual([-2, -2, -3]);
	});
});

describe('load-time checks', () => {
	const conv = (): Model =>
		convModel({
			type: 'int8',
			x: [],
			xShape: [1, 4, 4, 1],
			w: ones(9),
			wShape: [1, 3, 3, 1],
			bias: [0],
			yShape: [1, 2, 2, 1],
			padding: 'same',
			stride: [2, 2]
		});
	const rejection = (bytes: Uint8Array) => {
		try {
			readBlob(bytes);
		} catch (e) {
			if (e instanceof BlobError) return [e.statusName, e.message];
			throw e;
		}
		return ['OK', ''];
	};
	/** The blob of `m` with params word `k` (i32) of op 0 set to `value`. */
	const withParam = (m: Model, k: number, value: number) => {
		const bytes = writeBlob(m);
		const v = new DataView(bytes.buffer);
		const at = v.getUint32(48, true) + v.getUint32(v.getUint32(28, true) + 8, true);
		v.setInt32(at + 4 * k, value, true);
		return bytes;
	};

	it('accepts the written blob', () => {
		expect(rejection(writeBlob(conv()))[0]).toBe('OK');
	});

	it.each([
		['stride 0', 0, 0, /height stride 0/],
		['dilation 0', 3, 0, /width dilation 0/],
		['a negative padding', 4, -2, /height padding -2/],
		['padding wider than the window', 5, 3, /do not fit/],
		['a shift of 31', 12, 31, /shift/],
		['an act_max outside int8', 9, -129, /activation range/]
	])('BAD_PARAMS: %s', (_, k, value, why) => {
		const [status, message] = rejection(withParam(conv(), k, value));
		expect(status).toBe('BAD_PARAMS');
		expect(message).toMatch(why);
		expect(message).toMatch(/^[A-Z].*\.$/);
	});

	it('BAD_OP: a filter that does not match the input channels', () => {
		const m = conv();
		m.tensors[1] = tensor('w', 'int8', [1, 3, 3, 2], pq(1, 0), new Int8Array(18));
		m.ops[0]!.inputs[2] = null;
		expect(() => writeBlob(m)).toThrow(/equal groups/);
	});

	it('BAD_OP: pools need equal batch and channels', () => {
		const m = poolModel('MAX_POOL_2D', 'float32', 5, 2, 2, 3);
		m.tensors[1] = tensor('y', 'float32', [1, 1, 3, 2]);
		expect(() => writeBlob(m)).toThrow(/same batch and channels/);
	});

	it('the sender refuses an output shape the padding does not give', () => {
		const m = conv();
		m.tensors[2] = tensor('y', 'int8', [1, 4, 4, 1], pq(1, 0));
		expect(() => writeBlob(m)).toThrow(/SAME padding of input \[1, 4, 4, 1\] gives 2 × 2/);
	});
});
