// The sources the one compare engine runs for library models (compare/source.ts; the demos' own are
// in src/lib/demos/<id>/source.ts): a sweep of one input of any model. Each says which model, which
// examples, their truth, the float reference and what the outputs mean.
import type { CompareSource, Example } from '$lib/compare/source';
import { createExecutor } from '$lib/model/exec/reference-executor';
import { readBlob } from '$lib/model/format/blob-reader';
import { modelIo } from '$lib/model/io/tensor-io';
import type { InputsSummary } from '$lib/storage';
import type { LibraryEntry } from './models.svelte';

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
