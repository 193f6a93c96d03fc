// What a demo is: one folder, src/lib/demos/<id>/, with its meta (meta.ts: title, summary, what its
// outputs mean and their axes and units), its model and data (<id>.ts), its inputs as a compare
// source (source.ts) and its view (View.svelte); registry.ts lists them once. The demos here are
// small MLPs (one real in, one out) whose float reference is TensorFlow.js on the same weights.
import type { CompareSource, Example } from '$lib/compare/source';
import { crc32 } from '$lib/checksum/crc32';
import type { MlpBundle } from '$lib/model/mlp/mlp-bundle';
import { loadReference } from '$lib/reference';
import type { InputsSummary, RunIo } from '$lib/storage';

export interface DemoMeta {
	id: string;
	title: string;
	summary: string;
	/** What the outputs mean, and the axes with their units. */
	io: RunIo;
	/** What one input is called in the status line ("points", "cars"). */
	unit: string;
	/** What the ground truth is called in the figures ("sin x", "true MPG"). */
	truthLabel: string;
}

const crcs = new WeakMap<Uint8Array, number>();

/** CRC-32 of a blob, computed once per blob. */
export function blobCrc(blob: Uint8Array): number {
	let c = crcs.get(blob);
	if (c === undefined) {
		c = crc32(blob);
		crcs.set(blob, c);
	}
	return c;
}

/** A demo MLP's inputs as a compare source: the float reference is TensorFlow.js on its weights. */
export function mlpDemoSource(
	meta: DemoMeta,
	bundle: MlpBundle,
	xs: readonly number[],
	truths: readonly (number | null)[],
	inputs: InputsSummary
): CompareSource {
	return {
		model: {
			name: bundle.int8Model.name,
			crc: blobCrc(bundle.blob),
			blob: bundle.blob,
			demo: meta.id
		},
		io: meta.io,
		inputs,
		examples: xs.map((x): Example => [[x]]),
		xs,
		truths: truths.map((t) => (t === null ? null : [t])),
		async floatReference() {
			const reference = await loadReference();
			const ys = reference.predictMlp(
				bundle.mlp,
				xs.map((x) => [x])
			);
			return Array.from(ys, (y) => [Float64Array.of(y)]);
		}
	};
}
