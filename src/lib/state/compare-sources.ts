// The sources the one compare engine runs (compare/source.ts): the sine sweep, the Auto MPG test
// cars, and a sweep of one input of any library model. Each says which model, which examples, their
// truth, the float reference and what the outputs mean.
import type { CompareSource, Example } from '$lib/compare/source';
import { mpgSplit } from '$lib/demos/mpg/mpg';
import { sineSweep, sineTarget, SINE_X_MAX } from '$lib/demos/sine/sine';
import { createExecutor } from '$lib/model/exec/reference-executor';
import { readBlob } from '$lib/model/format/blob-reader';
import { modelIo } from '$lib/model/io/tensor-io';
import { loadReference } from '$lib/reference';
import type { InputsSummary, RunIo } from '$lib/storage';
import { demoModel, type DemoModel } from './demos';
import type { LibraryEntry } from './models.svelte';

/** A demo MLP (one real in, one out): the float reference is TensorFlow.js on its float weights. */
function mlpDemoSource(
	demo: DemoModel,
	xs: readonly number[],
	truths: readonly (number | null)[],
	inputs: InputsSummary,
	io: RunIo
): CompareSource {
	return {
		model: {
			name: demo.bundle.int8Model.name,
			crc: demo.blobCrc,
			blob: demo.bundle.blob,
			demo: demo.id
		},
		io,
		inputs,
		examples: xs.map((x): Example => [[x]]),
		xs,
		truths: truths.map((t) => (t === null ? null : [t])),
		async floatReference() {
			const reference = await loadReference();
			const ys = reference.predictMlp(
				demo.bundle.mlp,
				xs.map((x) => [x])
			);
			return Array.from(ys, (y) => [Float64Array.of(y)]);
		}
	};
}

/** `count` evenly spaced x in [0, 2π] against sin x. */
export function sineSweepSource(count: number): CompareSource {
	const xs = sineSweep(count);
	return mlpDemoSource(
		demoModel('sine'),
		xs,
		xs.map(sineTarget),
		{
			source: 'sweep',
			count: xs.length,
			min: 0,
			max: SINE_X_MAX,
			description: `${xs.length} evenly spaced x in [0, 2π]`
		},
		{ kind: 'regression', xLabel: 'x', yLabel: 'sin x' }
	);
}

/** The Auto MPG test split: horsepower → MPG against each car's measured MPG. */
export function mpgTestSource(): CompareSource {
	const test = mpgSplit().test;
	const xs = test.map((r) => r.horsepower);
	return mlpDemoSource(
		demoModel('mpg'),
		xs,
		test.map((r) => r.mpg),
		{
			source: 'test-set',
			count: xs.length,
			min: Math.min(...xs),
			max: Math.max(...xs),
			description: `Auto MPG test split (${xs.length} cars, seed 80)`
		},
		{ kind: 'regression', xLabel: 'horsepower', xUnit: 'hp', yLabel: 'fuel economy', yUnit: 'MPG' }
	);
}

/**
 * A library model's input swept over `xs` (the element `element` of input `input`; every other
 * input element held at `base`, default 0): the float reference is the model's float32 blob run by
 * the reference executor (real in, real out).
 */
export function librarySweepSource(
	entry: LibraryEntry,
	xs: readonly number[],
	inputs: InputsSummary,
	options: {
		input?: number;
		element?: number;
		base?: number;
		xLabel?: string;
		yLabel?: string;
	} = {}
): CompareSource {
	const io = modelIo(entry.blobModel);
	const at = options.input ?? 0;
	const element = options.element ?? 0;
	const examples = xs.map((x): Example =>
		io.inputs.map((spec, i) => {
			const values = new Array<number>(spec.count).fill(options.base ?? 0);
			if (i === at) values[element] = x;
			return values;
		})
	);
	return {
		model: { name: entry.name, crc: entry.crc, blob: entry.blob, demo: entry.demoId },
		io: {
			kind: 'regression',
			xLabel:
				options.xLabel ??
				(io.inputs.length > 1 || io.inputs[at]!.count > 1
					? `input ${at + 1}[${element}]`
					: 'input'),
			yLabel: options.yLabel ?? 'output'
		},
		inputs,
		examples,
		xs,
		truths: xs.map(() => null),
		async floatReference() {
			if (!entry.floatBlob)
				throw new Error(
					'This model has no float reference, so the board can only be compared with its int8 expectation. Re-import the .tflite to keep one.'
				);
			const fm = readBlob(entry.floatBlob);
			const fio = modelIo(fm);
			const out = createExecutor(fm).run(fio.encode(examples), examples.length);
			return fio.decode(out, examples.length).map((rec) => rec.map((t) => t.real));
		}
	};
}
