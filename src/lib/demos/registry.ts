// Every demo, listed once (one folder each: meta.ts, its model, source.ts, View.svelte). The library,
// the upload panel and the compare page find demos only here.
import type { Component } from 'svelte';
import type { LiveCompare } from '$lib/state/live-compare.svelte';
import type { BoardTiming } from '$lib/state/timing';
import type { DemoMeta } from './demo';
import { mpgMeta } from './mpg/meta';
import { mpgModel } from './mpg/mpg';
import MpgView from './mpg/View.svelte';
import { sineMeta } from './sine/meta';
import { sineModel } from './sine/sine';
import SineView from './sine/View.svelte';
import { qaMeta } from './qa/meta';
import { loadQaModel } from './qa/qa';
import QaView from './qa/View.svelte';

export interface DemoViewProps {
	compare: LiveCompare;
	ready: boolean;
	hint: string;
	timing?: BoardTiming;
}

/** A demo model's blobs: the int8 one a board runs and the float32 one of the float reference. */
export interface DemoBlobs {
	name: string;
	blob: Uint8Array;
	floatBlob: Uint8Array | null;
}

export interface Demo {
	meta: DemoMeta;
	/** The demo's model: built in code on first use (cached), or fetched as a file when `fetched`. */
	model: () => DemoBlobs | Promise<DemoBlobs>;
	/** The model is a file fetched once when the app starts (state/demos.svelte.ts). */
	fetched?: boolean;
	view: Component<DemoViewProps>;
}

export type DemoId = 'sine' | 'mpg' | 'qa';

export const DEMOS: Readonly<Record<DemoId, Demo>> = {
	sine: { meta: sineMeta, model: sineModel, view: SineView },
	mpg: { meta: mpgMeta, model: mpgModel, view: MpgView },
	qa: { meta: qaMeta, model: loadQaModel, fetched: true, view: QaView }
};

/** In the order the library lists them. */
export const DEMO_IDS: readonly DemoId[] = ['sine', 'mpg', 'qa'];

export function isDemoId(v: unknown): v is DemoId {
	return typeof v === 'string' && Object.hasOwn(DEMOS, v);
}
