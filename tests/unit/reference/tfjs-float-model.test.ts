// The TensorFlow.js float reference for float32 model graphs (Reference.runFloatModel, cpu backend)
// against outputs computed outside TinyTwin: every float32 oracle fixture (converter-made .tflite,
// outputs by TFLM's interpreter, or TFLite's reference kernels where the fixture says so), and the QA
// float model on windows of held-out questions (outputs by TFLite's interpreter, reference kernels:
// tests/fixtures/qa_float_windows.json, made by tools/qa/make_float_fixture.py).
//
// Tolerance: |tfjs − oracle| ≤ 1e-5 · max(1, |oracle|) per element. Both sides compute in binary32
// but not in the same order or with the same kernels (TensorFlow.js's cpu matMul sums blocks of
// products in binary64 before rounding; its conv adds tap by tap into a float32 output; exp and tanh
// come from different libraries), so results differ by rounding only: each operation is within
// 2^-24 ≈ 6e-8 relative, and a sum of k products within about k·2^-24 of Σ|terms|, which exceeds
// the result's own magnitude where terms cancel. Measured worst on these fixtures: 5.7e-6 on
// depthwise_channel_scales_float32 (outputs up to ~1300 with cancelling channels), ≤ 6e-7 (≈ 10
// ulp) on every other fixture and on the QA windows. A wrong op (pad, axis, layout, activation,
// broadcast) is off by far more than 1e-5.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
	FloatModelError,
	floatModelReference,
	loadReference,
	type FloatExample
} from '../../../src/lib/reference';
import { qaReference } from '../../../src/lib/demos/qa/reference';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';
import { modelIo } from '../../../src/lib/model/io/tensor-io';
import type { Activation, Model, Op } from '../../../src/lib/model/ir/ir';
import type { Padding } from '../../../src/lib/model/ops/conv-geometry';
import { importTflite } from '../../../src/lib/model/tflite';
import { windowExample } from '../../../src/lib/qa/qa-model';
import type { SquadDataset } from '../../../src/lib/qa/squad-eval';
import { tokenize } from '../../../src/lib/qa/tokenizer';
import { bestSpanOverWindows, windowStarts, type PassageSpan } from '../../../src/lib/qa/windows';
import {
	loadOracleFixture,
	oracleFixtureNames,
	readOracleModel,
	type OracleFixture
} from '../../shared/oracle-fixtures';

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const TOLERANCE = 1e-5;

/** Largest |got − want| / max(1, |want|) over every element (NaN when a value is not finite). */
function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
	let worst = 0;
	for (let i = 0; i < want.length; i++) {
		const e = Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(want[i]!));
		if (!(e <= worst)) worst = e;
	}
	return worst;
}

/** The fixture's .tflite through TinyTwin's importer (its stored size for a dynamic dimension). */
function importFixture(f: OracleFixture): Model {
	const dynamic = f.inputTensors.some((t) => (t.shapeSignature ?? []).slice(1).includes(-1));
	return importTflite(readOracleModel(f), {
		name: f.name,
		...(dynamic && { dynamicDims: 'stored' as const })
	});
}

const examplesOf = (f: OracleFixture): FloatExample[] =>
	f.examples.map((e) => e.inputs.map((t) => Array.from(t.values)));

const floatFixtures = oracleFixtureNames().filter(
	(name) => loadOracleFixture(name).conversion === 'float32'
);

describe('runFloatModel on the float32 oracle fixtures', () => {
	it('covers every float32 fixture', () => {
		// Each op family of the float registry appears in at least one of them.
		const ops = new Set(floatFixtures.flatMap((n) => loadOracleFixture(n).ops));
		for (const op of [
			'FULLY_CONNECTED',
			'CONV_2D',
			'DEPTHWISE_CONV_2D',
			'AVERAGE_POOL_2D',
			'MAX_POOL_2D',
			'MEAN',
			'ADD',
			'SUB',
			'MUL',
			'CONCATENATION',
			'BATCH_MATMUL',
			'SOFTMAX',
			'TANH',
			'LOGISTIC',
			'RELU',
			'TRANSPOSE',
			'STRIDED_SLICE',
			'GATHER',
			'RESHAPE',
			'SQUEEZE'
		])
			expect(ops, op).toContain(op);
		expect(floatFixtures.length).toBeGreaterThanOrEqual(30);
	});

	it.each(floatFixtures)('%s: within 1e-5·max(1,|x|) of the oracle', async (name) => {
		const ref = await loadReference();
		const f = loadOracleFixture(name);
		const before = ref.numTensors();
		const got = ref.runFloatModel(importFixture(f), examplesOf(f));
		expect(ref.numTensors(), 'tensors left behind').toBe(before);
		expect(got).toHaveLength(f.examples.length);
		got.forEach((outs, k) => {
			const want = f.examples[k]!.outputs;
			expect(outs).toHaveLength(want.length);
			outs.forEach((o, i) => {
				expect(o).toBeInstanceOf(Float64Array);
				expect(o.length).toBe(want[i]!.values.length);
				expect(worstError(o, want[i]!.values), `example ${k}, output ${i}`).toBeLessThanOrEqual(
					TOLERANCE
				);
			});
		});
	});

	it('takes blob bytes, a read blob or the IR, with the same results', async () => {
		const ref = await loadReference();
		const f = loadOracleFixture('conv_net_float32');
		const ir = importFixture(f);
		const bytes = writeBlob(ir);
		const ex = examplesOf(f);
		const a = ref.runFloatModel(ir, ex);
		expect(ref.runFloatModel(bytes, ex)).toEqual(a);
		expect(ref.runFloatModel(readBlob(bytes), ex)).toEqual(a);
	});

	it('GATHER: a negative id reads row id + n, an id outside [−n, n) a row of zeros', async () => {
		const ref = await loadReference();
		const f = loadOracleFixture('gather_float32');
		const ir = importFixture(f);
		const table = ir.tensors.find((t) => t.data && t.shape.length === 2)!;
		const [n, width] = table.shape as [number, number];
		expect([n, width]).toEqual([20, 8]);
		const ids = [-1, -20, -21, 20, 5, 1000];
		const rows = [19, 0, null, null, 5, null];
		const [[got]] = ref.runFloatModel(ir, [[ids]]) as [[Float64Array]];
		const want = rows.flatMap((r) =>
			r === null
				? new Array<number>(width).fill(0)
				: Array.from(table.data!.subarray(r * width, (r + 1) * width))
		);
		expect(Array.from(got)).toEqual(want);
	});
});

/** Seeded values in [−1, 1) (a 32-bit LCG). */
function values(n: number, seed: number): number[] {
	let s = seed >>> 0;
	return Array.from({ length: n }, () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 31 - 1;
	});
}

/** One windowed op on a float32 input: CONV_2D / DEPTHWISE_CONV_2D (filter + bias) or a pool. */
function windowModel(
	kind: 'CONV_2D' | 'DEPTHWISE_CONV_2D' | 'MAX_POOL_2D' | 'AVERAGE_POOL_2D',
	x: number[],
	y: number[],
	g: {
		padding: Padding;
		stride: [number, number];
		dilation?: [number, number];
		filter: number[];
		activation?: Activation;
	}
): Model {
	const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
	const f32 = (name: string, shape: number[], data?: Float32Array) => ({
		name,
		type: 'float32' as const,
		shape,
		...(data && { data })
	});
	const tensors = [f32('x', x), f32('y', y)];
	const common = {
		padding: g.padding,
		strideH: g.stride[0],
		strideW: g.stride[1],
		activation: g.activation ?? 'none'
	};
	let op: Op;
	if (kind === 'MAX_POOL_2D' || kind === 'AVERAGE_POOL_2D') {
		op = {
			kind,
			inputs: [0],
			outputs: [1],
			...common,
			filterH: g.filter[0]!,
			filterW: g.filter[1]!
		};
	} else {
		const cout = kind === 'CONV_2D' ? g.filter[0]! : g.filter[3]!;
		tensors.push(f32('w', g.filter, Float32Array.from(values(size(g.filter), 7))));
		tensors.push(f32('b', [cout], Float32Array.from(values(cout, 11))));
		op = {
			kind,
			inputs: [0, 2, 3],
			outputs: [1],
			...common,
			dilationH: g.dilation?.[0] ?? 1,
			dilationW: g.dilation?.[1] ?? 1
		};
	}
	return { name: kind, tensors, ops: [op], inputs: [0], outputs: [1] };
}

describe('runFloatModel on window geometry no oracle fixture has', () => {
	// Keras refuses stride > 1 with dilation > 1 and the fixtures have no grouped convolution, so
	// these cases are held to the float executor instead: TinyTwin's float kernels, which the oracle
	// fixtures hold bit-exact with TFLM on these ops (tests/unit/model/oracle-executor.test.ts) and
	// whose window walk tests/unit/model/ops-conv.test.ts checks by hand.
	const cases: [string, Model][] = [
		[
			'CONV_2D stride 2 and dilation 2, SAME, RELU6',
			windowModel('CONV_2D', [1, 7, 7, 3], [1, 4, 4, 4], {
				padding: 'same',
				stride: [2, 2],
				dilation: [2, 2],
				filter: [4, 3, 3, 3],
				activation: 'relu6'
			})
		],
		[
			'CONV_2D in 2 groups (4 input channels, filter depth 2), SAME, RELU',
			windowModel('CONV_2D', [1, 5, 5, 4], [1, 5, 5, 6], {
				padding: 'same',
				stride: [1, 1],
				filter: [6, 3, 3, 2],
				activation: 'relu'
			})
		],
		[
			'DEPTHWISE_CONV_2D multiplier 2, stride 2 and dilation 2, VALID',
			windowModel('DEPTHWISE_CONV_2D', [1, 9, 9, 2], [1, 3, 3, 4], {
				padding: 'valid',
				stride: [2, 2],
				dilation: [2, 2],
				filter: [1, 3, 3, 4]
			})
		],
		[
			'DEPTHWISE_CONV_2D 1×3 on a rank-3 [N, W, C] input, stride 3 and dilation 2, SAME',
			windowModel('DEPTHWISE_CONV_2D', [1, 10, 3], [1, 4, 3], {
				padding: 'same',
				stride: [1, 3],
				dilation: [1, 2],
				filter: [1, 1, 3, 3]
			})
		],
		[
			'MAX_POOL_2D 2×2 stride 2, SAME on an odd size',
			windowModel('MAX_POOL_2D', [1, 5, 5, 2], [1, 3, 3, 2], {
				padding: 'same',
				stride: [2, 2],
				filter: [2, 2]
			})
		],
		[
			'AVERAGE_POOL_2D 3×2 stride 2×1, SAME (border windows average fewer elements)',
			windowModel('AVERAGE_POOL_2D', [1, 6, 5, 3], [1, 3, 5, 3], {
				padding: 'same',
				stride: [2, 1],
				filter: [3, 2]
			})
		]
	];

	it.each(cases)('%s', async (_, model) => {
		const ref = await loadReference();
		const blob = readBlob(writeBlob(model));
		const io = modelIo(blob);
		const ex: FloatExample[] = [1, 2, 3].map((seed) => [values(io.inputs[0]!.count, seed)]);
		const want = io
			.decode(createExecutor(blob).run(io.encode(ex), ex.length), ex.length)
			.map((rec) => rec.map((t) => t.real));
		const got = ref.runFloatModel(blob, ex);
		got.forEach((outs, k) =>
			expect(worstError(outs[0]!, want[k]![0]!), `example ${k}`).toBeLessThanOrEqual(TOLERANCE)
		);
	});
});

describe('runFloatModel refuses what it cannot run, with a sentence', () => {
	const refuse = async (name: string, examples?: FloatExample[]) => {
		const ref = await loadReference();
		const f = loadOracleFixture(name);
		const before = ref.numTensors();
		let error: unknown;
		try {
			ref.runFloatModel(importFixture(f), examples ?? examplesOf(f));
		} catch (e) {
			error = e;
		}
		expect(ref.numTensors(), 'tensors left behind').toBe(before);
		expect(error).toBeInstanceOf(FloatModelError);
		return error as FloatModelError;
	};

	it('an int8 model: not a float32 graph, naming the op and the tensor type', async () => {
		const e = await refuse('conv_net');
		expect(e.reason).toBe('not-float');
		expect(e.op).toBe(0);
		expect(e.message).toMatch(/^Op 0 \([A-Z_0-9]+\) computes on tensor \d+, which is int8/);
		expect(e.message).toMatch(/float32 \.tflite/);
	});

	it('a float-I/O int8 model: its QUANTIZE has no float counterpart', async () => {
		const e = await refuse('float_io');
		expect(e.reason).toBe('unsupported-op');
		expect(e.message).toMatch(/^Op 0 \(QUANTIZE\) converts between float32 and int8/);
	});

	it('an example of the wrong length or input count', async () => {
		const e = await refuse('conv1d_float32', [[new Array<number>(79).fill(0)]]);
		expect(e.reason).toBe('bad-example');
		expect(e.message).toBe('Example 1, input 1: 79 value(s), but the tensor [1, 20, 4] holds 80.');
		const e2 = await refuse('two_input_float32', [[[1, 2, 3]]]);
		expect(e2.reason).toBe('bad-example');
		expect(e2.message).toBe('Example 1 has 1 input array(s); the model takes 2.');
	});
});

describe('floatModelReference (a CompareSource.floatReference)', () => {
	it('runs every example in chunks, as runFloatModel does', async () => {
		const ref = await loadReference();
		const f = loadOracleFixture('attention_float32');
		const ir = importFixture(f);
		const ex = examplesOf(f);
		expect(ex.length).toBeGreaterThan(2);
		const got = await floatModelReference(ir, ex, 2)(new AbortController().signal);
		expect(got).toEqual(ref.runFloatModel(ir, ex));
	});

	it('stops with the signal', async () => {
		const f = loadOracleFixture('attention_float32');
		const stop = new AbortController();
		stop.abort();
		await expect(floatModelReference(importFixture(f), examplesOf(f))(stop.signal)).rejects.toThrow(
			/abort/i
		);
	});
});

interface QaWindow {
	question: number;
	start: number;
	tokens: number;
	inputs: { dtype: string; shape: number[]; values: number[] }[];
	outputs: { dtype: string; shape: number[]; values: number[] }[];
}
interface QaFixture {
	tflite: string;
	tfliteSha256: string;
	passageLength: number;
	questions: string[];
	windows: QaWindow[];
}

describe('the QA float model on held-out windows', () => {
	const fixture = JSON.parse(
		readFileSync(join(REPO, 'tests', 'fixtures', 'qa_float_windows.json'), 'utf8')
	) as QaFixture;
	const bytes = new Uint8Array(readFileSync(join(REPO, fixture.tflite)));
	const examples: FloatExample[] = fixture.windows.map((w) => w.inputs.map((t) => t.values));
	const qa = qaReference(bytes);

	/** Best span of each question over its windows (src/lib/qa's rule), from per-window outputs. */
	const spans = (outs: ArrayLike<number>[][]): PassageSpan[] =>
		fixture.questions.map((_, q) =>
			bestSpanOverWindows(
				fixture.windows.flatMap((w, k) =>
					w.question === q
						? [
								{
									start: w.start,
									startScores: outs[k]![qa.binding.start]!,
									endScores: outs[k]![qa.binding.end]!,
									tokens: w.tokens
								}
							]
						: []
				)
			)
		);

	it('the fixture was made from the committed model and covers several multi-window questions', () => {
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(fixture.tfliteSha256);
		expect(fixture.questions.length).toBeGreaterThanOrEqual(5);
		expect(fixture.windows.length).toBeGreaterThan(fixture.questions.length);
	});

	it("TensorFlow.js's logits are within 1e-5·max(1,|x|) of TFLite's float interpreter", async () => {
		const ref = await loadReference();
		const before = ref.numTensors();
		const got = ref.runFloatModel(importTflite(bytes, { name: 'qa_float' }), examples);
		expect(ref.numTensors()).toBe(before);
		got.forEach((outs, k) => {
			const want = fixture.windows[k]!.outputs;
			expect(outs).toHaveLength(2);
			outs.forEach((o, i) =>
				expect(worstError(o, want[i]!.values), `window ${k}, output ${i}`).toBeLessThanOrEqual(
					TOLERANCE
				)
			);
		});
	});

	it("TensorFlow.js's best spans equal the float executor's and TFLite's", async () => {
		const ref = await loadReference();
		const tfjs = spans(ref.runFloatModel(importTflite(bytes, { name: 'qa_float' }), examples));
		const executor = spans(qa.run(examples.map((ex) => ex.map((v) => [...v]))));
		const tflite = spans(fixture.windows.map((w) => w.outputs.map((o) => o.values)));
		const tokens = (s: PassageSpan[]) => s.map((x) => [x.startToken, x.endToken]);
		expect(tokens(tfjs)).toEqual(tokens(tflite));
		expect(tokens(tfjs)).toEqual(tokens(executor));
	});

	const squad = join(REPO, '..', 'shared', 'data', 'squad', 'dev-v1.1.json');
	it.skipIf(!existsSync(squad))(
		"the fixture's inputs are what src/lib/qa makes of those questions today",
		() => {
			const data = JSON.parse(readFileSync(squad, 'utf8')) as SquadDataset;
			const L = qa.binding.shape.passageLength;
			fixture.questions.forEach((id, q) => {
				const p = data.data
					.flatMap((a) => a.paragraphs)
					.find((x) => x.qas.some((y) => y.id === id))!;
				const passage = tokenize(p.context);
				const question = tokenize(p.qas.find((y) => y.id === id)!.question);
				const windows = fixture.windows.filter((w) => w.question === q);
				expect(windows.map((w) => w.start)).toEqual(windowStarts(passage.length, L, 64));
				for (const w of windows) {
					expect(w.inputs.map((t) => t.values)).toEqual(
						windowExample(qa.binding, passage, question, w.start)
					);
				}
			});
		}
	);
});
