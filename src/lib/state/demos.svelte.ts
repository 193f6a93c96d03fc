// The built-in demo models (demos/registry.ts) as the library and the upload panel need them: the
// blobs, the blob's identity (to know whether the board already runs it) and the axis names. The
// small demos are built on first use; a demo whose model is a file (the QA model) is fetched once
// by loadDemoModels() and appears in the library when it is in.
import { blobCrc } from '$lib/demos/demo';
import { DEMOS, DEMO_IDS, isDemoId, type DemoId } from '$lib/demos/registry';
import { readBlob, type BlobModel } from '$lib/model/format/blob-reader';

export { DEMO_IDS, isDemoId, type DemoId };

export interface DemoModel {
	id: DemoId;
	title: string;
	summary: string;
	xLabel: string;
	yLabel: string;
	blob: Uint8Array;
	/** The float32 blob of the same network, for the float reference (null: none). */
	floatBlob: Uint8Array | null;
	/** The int8 blob, parsed and validated (arena size, ops) for the fit check. */
	blobModel: BlobModel;
	blobCrc: number;
}

/** Fetched models (reactive: the library lists them when they arrive). */
const models = $state<Partial<Record<DemoId, DemoModel>>>({});
/** Models built in code, cached on first use (not state: they are built inside derivations). */
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a cache, deliberately not state
const built = new Map<DemoId, DemoModel>();
const problems = $state<Partial<Record<DemoId, string>>>({});
// eslint-disable-next-line svelte/prefer-svelte-reactivity -- pending fetches, not shown anywhere
const loading = new Map<DemoId, Promise<void>>();

function made(id: DemoId, blobs: { blob: Uint8Array; floatBlob: Uint8Array | null }): DemoModel {
	const { meta } = DEMOS[id];
	const unit = (u?: string) => (u ? ` (${u})` : '');
	return {
		id,
		title: meta.title,
		summary: meta.summary,
		xLabel: meta.io.xLabel + unit(meta.io.xUnit),
		yLabel: meta.io.yLabel + unit(meta.io.yUnit),
		blob: blobs.blob,
		floatBlob: blobs.floatBlob,
		blobModel: readBlob(blobs.blob),
		blobCrc: blobCrc(blobs.blob)
	};
}

/**
 * The demo's model, or null while a fetched model is not in yet (or failed: see demoProblem). A
 * model built in code is built here on first use.
 */
export function demoModel(id: DemoId): DemoModel | null {
	if (DEMOS[id].fetched) return models[id] ?? null;
	let d = built.get(id);
	if (!d) {
		const blobs = DEMOS[id].model();
		if (blobs instanceof Promise) return null;
		d = made(id, blobs);
		built.set(id, d);
	}
	return d;
}

/** Why a fetched demo model is not available, or null. */
export function demoProblem(id: DemoId): string | null {
	return problems[id] ?? null;
}

/** Fetches every demo model that is a file (once; offline, from the service worker's cache). */
export function loadDemoModels(): Promise<void> {
	return Promise.all(
		DEMO_IDS.filter((id) => DEMOS[id].fetched).map((id) => {
			let p = loading.get(id);
			if (!p) {
				p = Promise.resolve(DEMOS[id].model())
					.then((blobs) => {
						models[id] = made(id, blobs);
						delete problems[id];
					})
					.catch((e: unknown) => {
						loading.delete(id);
						problems[id] =
							`The ${DEMOS[id].meta.title} model could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`;
					});
				loading.set(id, p);
			}
			return p;
		})
	).then(() => undefined);
}

export function demoTitle(id: DemoId): string {
	return DEMOS[id].meta.title;
}
