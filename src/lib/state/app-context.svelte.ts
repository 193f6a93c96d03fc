// The app's state that outlives a page: the board connection (and so the model in its RAM), the
// model library, the upload, the live compares and a training run. The root layout makes it once
// and hands it to every page through Svelte's context, so moving between pages keeps the board
// connected and a compare or training going.
import { getContext, setContext } from 'svelte';
import { DEMOS, DEMO_IDS, type DemoId } from '$lib/demos/registry';
import { loadDemoModels } from './demos.svelte';
import { DeviceState } from './device.svelte';
import { LiveCompare } from './live-compare.svelte';
import { ModelLibraryState } from './models.svelte';
import { TrainState } from './train.svelte';
import { UploadState } from './upload.svelte';

export class AppState {
	readonly device = new DeviceState();
	readonly library = new ModelLibraryState();
	readonly upload = new UploadState(this.device, this.library);
	/** One live compare per demo (each keeps its last run's points), and one for library models. */
	readonly demoCompares: Readonly<Record<DemoId, LiveCompare>> = Object.fromEntries(
		DEMO_IDS.map((id) => {
			const c = new LiveCompare(this.device);
			// Before its first run a demo's figures are already of its kind (spans for QA).
			c.kind = DEMOS[id].meta.io.kind;
			c.spanOutputs = DEMOS[id].meta.io.spanOutputs ?? [0, 1];
			return [id, c];
		})
	) as Record<DemoId, LiveCompare>;
	readonly generic = new LiveCompare(this.device);
	readonly train = new TrainState(this.library);
	/** A live compare has finished on this connection's board at least once (the third step). */
	ranOnce = $derived(
		[...Object.values(this.demoCompares), this.generic].some((c) => c.phase.kind === 'done')
	);

	/** Restores the saved device choice and the library; call once, in the browser. */
	start(): void {
		void this.device.init();
		void this.library.load().then(() => this.upload.restoreDemo());
		// The QA model is a file of its own: fetched after the first paint, not before it.
		void loadDemoModels();
	}

	/** Closes the connection (the layout going away: the tab closing). */
	dispose(): void {
		this.device.dispose();
	}
}

const KEY = Symbol('tinytwin-app-state');

/** Makes the app state and provides it to the layout's children; call from the root layout. */
export function provideAppState(): AppState {
	return setContext(KEY, new AppState());
}

/** The app state the root layout provides. */
export function appState(): AppState {
	const state = getContext<AppState | undefined>(KEY);
	if (!state)
		throw new Error('The app state is missing: pages must render inside the root layout.');
	return state;
}
