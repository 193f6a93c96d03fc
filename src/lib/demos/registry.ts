// Every demo, listed once (one folder each: meta.ts, <id>.ts, source.ts, View.svelte). The library,
// the upload panel and the compare page find demos only here.
import type { Component } from 'svelte';
import type { MlpBundle } from '$lib/model/mlp/mlp-bundle';
import type { LiveCompare } from '$lib/state/live-compare.svelte';
import type { BoardTiming } from '$lib/state/timing';
import type { DemoMeta } from './demo';
import { mpgMeta } from './mpg/meta';
import { mpgModel } from './mpg/mpg';
import MpgView from './mpg/View.svelte';
import { sineMeta } from './sine/meta';
import { sineModel } from './sine/sine';
import SineView from './sine/View.svelte';

export interface DemoViewProps {
	compare: LiveCompare;
	ready: boolean;
	hint: string;
	timing?: BoardTiming;
}

export interface Demo {
	meta: DemoMeta;
	/** The demo's model: float and int8 IR, blobs, quantization (built on first use, cached). */
	model: () => MlpBundle;
	view: Component<DemoViewProps>;
}

export type DemoId = 'sine' | 'mpg';

export const DEMOS: Readonly<Record<DemoId, Demo>> = {
	sine: { meta: sineMeta, model: sineModel, view: SineView },
	mpg: { meta: mpgMeta, model: mpgModel, view: MpgView }
};

/** In the order the library lists them. */
export const DEMO_IDS: readonly DemoId[] = ['sine', 'mpg'];

export function isDemoId(v: unknown): v is DemoId {
	return typeof v === 'string' && Object.hasOwn(DEMOS, v);
}
