// The QA demo's model: the committed .tflite files (tools/qa/train.py), brought in through
// TinyTwin's own importer as a user's model would be — int8 for the board, float32 for the float
// reference — and bound to the QA inputs and outputs by name and shape (src/lib/qa/qa-model.ts).
// The files are fetched once when the app starts (the service worker keeps them for offline use).
import { importTflite } from '$lib/model/tflite';
import { writeBlob } from '$lib/model/format/blob-writer';
import { bindQaModel, type QaBinding } from '$lib/qa/qa-model';
import floatUrl from './model/qa_float.tflite?url';
import int8Url from './model/qa_int8.tflite?url';

export interface QaDemoModel {
	name: string;
	/** The int8 blob a board runs. */
	blob: Uint8Array;
	/** The float32 blob of the trained weights (the float reference). */
	floatBlob: Uint8Array;
	binding: QaBinding;
}

async function bytes(url: string, what: string): Promise<Uint8Array> {
	const r = await fetch(url);
	if (!r.ok) throw new Error(`${what} answered HTTP ${r.status}`);
	return new Uint8Array(await r.arrayBuffer());
}

/** The QA model from the two .tflite files' bytes. */
export function qaDemoModelOf(int8Tflite: Uint8Array, floatTflite: Uint8Array): QaDemoModel {
	const ir = importTflite(int8Tflite, { name: 'qa' });
	return {
		name: 'qa',
		blob: writeBlob(ir),
		floatBlob: writeBlob(importTflite(floatTflite, { name: 'qa-float' })),
		binding: bindQaModel(ir)
	};
}

let loading: Promise<QaDemoModel> | null = null;

/** Fetches and imports the QA model once. */
export function loadQaModel(): Promise<QaDemoModel> {
	loading ??= Promise.all([
		bytes(int8Url, 'qa_int8.tflite'),
		bytes(floatUrl, 'qa_float.tflite')
	]).then(([a, b]) => qaDemoModelOf(a, b));
	loading.catch(() => (loading = null));
	return loading;
}
