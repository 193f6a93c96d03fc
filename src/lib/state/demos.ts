// The built-in demo models the dashboard can upload and compare, with what each needs: the model
// bundle, the blob's identity (to know whether the board already runs it) and the axis names.
import { sineModel, SINE_X_MAX } from '$lib/demos/sine/sine';
import { mpgModel } from '$lib/demos/mpg/mpg';
import { readBlob, type BlobModel } from '$lib/model/format/blob-reader';
import type { MlpBundle } from '$lib/model/mlp/mlp-bundle';
import { crc32 } from '$lib/protocol';

export type DemoId = 'sine' | 'mpg';

export const DEMO_IDS: readonly DemoId[] = ['sine', 'mpg'];

export interface DemoModel {
	id: DemoId;
	title: string;
	summary: string;
	xLabel: string;
	yLabel: string;
	bundle: MlpBundle;
	/** The int8 blob, parsed and validated (arena size, ops) for the fit check. */
	blobModel: BlobModel;
	blobCrc: number;
}

const INFO: Record<DemoId, { title: string; summary: string; xLabel: string; yLabel: string }> = {
	sine: {
		title: 'Sine (hello_world)',
		summary: `y = sin x for x in [0, 2π] (${SINE_X_MAX.toFixed(2)}), a 1→16→16→1 ReLU network, int8.`,
		xLabel: 'x',
		yLabel: 'sin x'
	},
	mpg: {
		title: 'Auto MPG',
		summary: 'Fuel economy (miles per gallon) from horsepower, a small ReLU network, int8.',
		xLabel: 'horsepower',
		yLabel: 'MPG'
	}
};

const cache = new Map<DemoId, DemoModel>();

/** The demo's model; built (quantized, blob written) on first use, then cached. */
export function demoModel(id: DemoId): DemoModel {
	let d = cache.get(id);
	if (!d) {
		const bundle = id === 'sine' ? sineModel() : mpgModel();
		d = { id, ...INFO[id], bundle, blobModel: readBlob(bundle.blob), blobCrc: crc32(bundle.blob) };
		cache.set(id, d);
	}
	return d;
}

export function demoTitle(id: DemoId): string {
	return INFO[id].title;
}

export function isDemoId(v: unknown): v is DemoId {
	return v === 'sine' || v === 'mpg';
}
