// The built-in demo models (demos/registry.ts) as the library and the upload panel need them: the
// model bundle, the blob's identity (to know whether the board already runs it) and the axis names.
import { blobCrc } from '$lib/demos/demo';
import { DEMOS, DEMO_IDS, isDemoId, type DemoId } from '$lib/demos/registry';
import { readBlob, type BlobModel } from '$lib/model/format/blob-reader';
import type { MlpBundle } from '$lib/model/mlp/mlp-bundle';

export { DEMO_IDS, isDemoId, type DemoId };

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

const cache = new Map<DemoId, DemoModel>();

/** The demo's model; built (quantized, blob written) on first use, then cached. */
export function demoModel(id: DemoId): DemoModel {
	let d = cache.get(id);
	if (!d) {
		const { meta, model } = DEMOS[id];
		const bundle = model();
		const unit = (u?: string) => (u ? ` (${u})` : '');
		d = {
			id,
			title: meta.title,
			summary: meta.summary,
			xLabel: meta.io.xLabel + unit(meta.io.xUnit),
			yLabel: meta.io.yLabel + unit(meta.io.yUnit),
			bundle,
			blobModel: readBlob(bundle.blob),
			blobCrc: blobCrc(bundle.blob)
		};
		cache.set(id, d);
	}
	return d;
}

export function demoTitle(id: DemoId): string {
	return DEMOS[id].meta.title;
}
