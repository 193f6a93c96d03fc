// The sources the one compare engine runs for library models (compare/source.ts; the demos' own are
// in src/lib/demos/<id>/source.ts): sweep one input element of any model, the saved test split of a
// model trained here, the rows of a CSV file, or one example typed by hand. The float reference is
// the model's float32 blob (real in, real out) run by the reference executor.
import type { CompareSource, Example } from '$lib/compare/source';
import { createExecutor } from '$lib/model/exec/reference-executor';
import { readBlob } from '$lib/model/format/blob-reader';
import { modelIo, type ModelIo } from '$lib/model/io/tensor-io';
import type { InputsSummary, OutputKind, RunIo } from '$lib/storage';
import type { LibraryEntry } from './models.svelte';

/** The float reference of a library model: its float32 blob, run on the same real inputs. */
function floatReferenceOf(entry: LibraryEntry, examples: readonly Example[]) {
	return async (): Promise<Float64Array[][]> => {
		if (!entry.floatBlob) {
			throw new Error(
				'This model has no float reference, so the board can be held only to its int8 expectation. Import the .tflite again to keep one.'
			);
		}
		const fm = readBlob(entry.floatBlob);
		const fio = modelIo(fm);
		const out = createExecutor(fm).run(fio.encode(examples), examples.length);
		return fio.decode(out, examples.length).map((rec) => rec.map((t) => t.real));
	};
}

/** What a library model's outputs most likely are, from their shapes (the person may change it). */
export function guessOutputKind(io: ModelIo): OutputKind {
	const [a, b] = io.outputs;
	if (io.outputs.length === 2 && a!.count > 1 && a!.count === b!.count) return 'spans';
	if (io.outputs.length === 1 && a!.count > 1) return 'classification';
	return 'regression';
}

/** Any examples of a library model: the shared part of every source below. */
export function libraryExamplesSource(
	entry: LibraryEntry,
	what: {
		examples: readonly Example[];
		xs: readonly number[];
		truths: readonly (readonly number[] | null)[];
		inputs: InputsSummary;
		io: RunIo;
	}
): CompareSource {
	return {
		model: { name: entry.name, crc: entry.crc, blob: entry.blob, demo: entry.demoId },
		io: what.io,
		inputs: what.inputs,
		examples: what.examples,
		xs: what.xs,
		truths: what.truths,
		floatReference: floatReferenceOf(entry, what.examples)
	};
}

/**
 * A library model's input swept over `xs` (element `element` of input `input`; every other input
 * element held at `base`, default 0).
 */
export function librarySweepSource(
	entry: LibraryEntry,
	xs: readonly number[],
	inputs: InputsSummary,
	options: {
		input?: number;
		element?: number;
		base?: number;
		kind?: OutputKind;
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
	const many = io.inputs.length > 1 || io.inputs[at]!.count > 1;
	return libraryExamplesSource(entry, {
		examples,
		xs,
		truths: xs.map(() => null),
		inputs,
		io: {
			kind: options.kind ?? 'regression',
			xLabel: options.xLabel ?? (many ? `input ${at + 1}[${element}]` : 'input'),
			yLabel: options.yLabel ?? 'output'
		}
	});
}

/** A trained model's saved test split (raw features, standardized as the model expects). */
export interface SavedTestSet {
	features: string[];
	output: string;
	xs: number[][];
	ys: number[];
}

/** The test split saved with a model trained here, or null (imported models, older saves). */
export function savedTestSet(entry: LibraryEntry): SavedTestSet | null {
	const t = entry.metadata.testSet;
	if (typeof t !== 'string') return null;
	try {
		const v = JSON.parse(t) as SavedTestSet;
		return Array.isArray(v.xs) && Array.isArray(v.ys) && v.xs.length === v.ys.length ? v : null;
	} catch {
		return null;
	}
}

/**
 * The saved test split of a model trained here, each example against its target. Features are
 * standardized first when the model was trained on standardized inputs (its stored mean and std).
 * Plotted against the true value (a perfect model lies on the diagonal).
 */
export function libraryTestSetSource(entry: LibraryEntry, set: SavedTestSet): CompareSource {
	const s = entry.metadata.inputStandardization;
	const t = typeof s === 'string' ? (JSON.parse(s) as { mean: number[]; std: number[] }) : null;
	const examples = set.xs.map((row): Example => [
		t ? row.map((v, i) => (v - t.mean[i]!) / t.std[i]!) : row
	]);
	return libraryExamplesSource(entry, {
		examples,
		xs: set.ys,
		truths: set.ys.map((y) => [y]),
		inputs: {
			source: 'test-set',
			count: set.xs.length,
			min: Math.min(...set.ys),
			max: Math.max(...set.ys),
			description: `the model's test split (${set.xs.length} examples of ${set.features.join(', ')})`
		},
		io: { kind: 'regression', xLabel: `true ${set.output}`, yLabel: set.output }
	});
}

/** Rows of a CSV file (see compare/csv-examples.ts), plotted against the row number. */
export function libraryRowsSource(
	entry: LibraryEntry,
	rows: { examples: number[][][]; truths: (number[] | null)[] },
	kind: OutputKind,
	description: string
): CompareSource {
	const xs = rows.examples.map((_, i) => i + 1);
	return libraryExamplesSource(entry, {
		examples: rows.examples,
		xs,
		truths: rows.truths,
		inputs: { source: 'custom', count: xs.length, min: 1, max: xs.length, description },
		io: {
			kind,
			xLabel: 'row',
			yLabel: kind === 'regression' ? 'output' : kind === 'classification' ? 'class' : 'span start'
		}
	});
}
