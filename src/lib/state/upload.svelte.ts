// Uploading a model from the library (a built-in demo, an imported or trained model): the fit
// check before, progress during (bytes, rate, ETA), cancel, and the board's verdict after
// (accepted with the arena it uses, or rejected with the reason).
import { DeviceError, isAbortError, type UploadProgress, type UploadResult } from '$lib/protocol';
import { appStorage } from './app-storage';
import { isDemoId, type DemoId } from './demos.svelte';
import type { DeviceState } from './device.svelte';
import { fitVerdict, type FitVerdict } from './fit';
import { ModelLibraryState, type LibraryEntry } from './models.svelte';

export type UploadPhase =
	| { kind: 'idle' }
	| { kind: 'uploading'; model: string; progress: UploadProgress | null }
	| { kind: 'accepted'; model: string; result: UploadResult }
	/** The board refused the model (a DeviceError), or the upload failed on the way. */
	| { kind: 'rejected'; model: string; byBoard: boolean; message: string }
	| { kind: 'cancelled'; model: string; discardedBytes: number };

export class UploadState {
	/** Library key of the chosen model: a demo id ('sine', 'mpg') or 'lib:NAME'. */
	key = $state<string>('sine');
	phase = $state.raw<UploadPhase>({ kind: 'idle' });
	/** The chosen model (the sine demo while a saved one is still loading). */
	entry: LibraryEntry = $derived.by(
		() => this.library.find(this.key) ?? this.library.find('sine')!
	);
	/** The chosen demo, or null for an imported or trained model. */
	demoId: DemoId | null = $derived.by(() => this.entry.demoId);
	/** Null until a board is connected. */
	fit: FitVerdict | null = $derived.by(() => {
		const hello = this.device.hello;
		return hello ? fitVerdict(this.entry.blobModel, hello) : null;
	});
	/** The board already runs this model's exact blob. */
	onBoard = $derived.by(() => {
		const m = this.device.model;
		return m !== null && m.blobCrc === this.entry.crc && m.blobLen === this.entry.blob.length;
	});
	uploading = $derived.by(() => this.phase.kind === 'uploading');

	constructor(
		readonly device: DeviceState,
		readonly library: ModelLibraryState = new ModelLibraryState()
	) {}

	#chosen = false;

	/** Picks the model chosen last time (once the library has loaded). */
	async restoreDemo(): Promise<void> {
		try {
			const key = await (await appStorage()).getSetting('demo');
			// A choice made while the setting was read (an import chooses its model) stands.
			if (this.uploading || this.#chosen) return;
			if (typeof key === 'string' && (isDemoId(key) || this.library.find(key))) this.key = key;
		} catch {
			// No storage: keep the default.
		}
	}

	/** Switches the model and remembers it for next time. */
	choose(key: string): void {
		if (this.uploading || !this.library.find(key)) return;
		this.#chosen = true;
		// The last verdict spoke of the model chosen before; it must not stand under another one.
		if (key !== this.key) this.phase = { kind: 'idle' };
		this.key = key;
		void appStorage()
			.then((s) => s.setSetting('demo', key))
			.catch(() => undefined);
	}

	async start(): Promise<void> {
		const session = this.device.session;
		if (!session || this.uploading) return;
		const entry = this.entry;
		const model = entry.name;
		this.phase = { kind: 'uploading', model, progress: null };
		try {
			const result = await session.upload(entry.blob, {
				onProgress: (progress) => {
					this.phase = { kind: 'uploading', model, progress };
				}
			});
			this.phase = { kind: 'accepted', model, result };
		} catch (e) {
			if (isAbortError(e)) {
				// cancel() replaces this with the count the board reports.
				this.phase = { kind: 'cancelled', model, discardedBytes: 0 };
			} else {
				this.phase = {
					kind: 'rejected',
					model,
					byBoard: e instanceof DeviceError,
					message: e instanceof Error ? e.message : String(e)
				};
			}
		} finally {
			this.device.syncModel();
		}
	}

	/** Stops the upload; the board discards what it received and keeps its previous model. */
	async cancel(): Promise<void> {
		const session = this.device.session;
		if (!session || !this.uploading) return;
		const model = this.entry.name;
		const discardedBytes = await session.abort().catch(() => 0);
		this.phase = { kind: 'cancelled', model, discardedBytes };
	}
}
