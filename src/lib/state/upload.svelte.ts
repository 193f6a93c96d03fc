// Uploading a demo model: the fit check before, progress during (bytes, rate, ETA), cancel, and
// the board's verdict after (accepted with the arena it uses, or rejected with the reason).
import { DeviceError, isAbortError, type UploadProgress, type UploadResult } from '$lib/protocol';
import { appStorage } from './app-storage';
import { demoModel, isDemoId, type DemoId } from './demos';
import type { DeviceState } from './device.svelte';
import { fitVerdict, type FitVerdict } from './fit';

export type UploadPhase =
	| { kind: 'idle' }
	| { kind: 'uploading'; demo: DemoId; progress: UploadProgress | null }
	| { kind: 'accepted'; demo: DemoId; result: UploadResult }
	/** The board refused the model (a DeviceError), or the upload failed on the way. */
	| { kind: 'rejected'; demo: DemoId; byBoard: boolean; message: string }
	| { kind: 'cancelled'; demo: DemoId; discardedBytes: number };

export class UploadState {
	demoId = $state<DemoId>('sine');
	phase = $state.raw<UploadPhase>({ kind: 'idle' });
	demo = $derived.by(() => demoModel(this.demoId));
	/** Null until a board is connected. */
	fit: FitVerdict | null = $derived.by(() => {
		const hello = this.device.hello;
		return hello ? fitVerdict(this.demo.blobModel, hello) : null;
	});
	/** The board already runs this demo's exact blob. */
	onBoard = $derived.by(() => {
		const m = this.device.model;
		return (
			m !== null && m.blobCrc === this.demo.blobCrc && m.blobLen === this.demo.bundle.blob.length
		);
	});
	uploading = $derived.by(() => this.phase.kind === 'uploading');

	constructor(readonly device: DeviceState) {}

	/** Picks the demo chosen last time. */
	async restoreDemo(): Promise<void> {
		try {
			const demo = await (await appStorage()).getSetting('demo');
			if (isDemoId(demo) && !this.uploading) this.demoId = demo;
		} catch {
			// No storage: keep the default.
		}
	}

	/** Switches the demo and remembers it for next time. */
	choose(id: DemoId): void {
		if (this.uploading) return;
		this.demoId = id;
		void appStorage()
			.then((s) => s.setSetting('demo', id))
			.catch(() => undefined);
	}

	async start(): Promise<void> {
		const session = this.device.session;
		if (!session || this.uploading) return;
		const demo = this.demo;
		this.phase = { kind: 'uploading', demo: demo.id, progress: null };
		try {
			const result = await session.upload(demo.bundle.blob, {
				onProgress: (progress) => {
					this.phase = { kind: 'uploading', demo: demo.id, progress };
				}
			});
			this.phase = { kind: 'accepted', demo: demo.id, result };
		} catch (e) {
			if (isAbortError(e)) {
				// cancel() replaces this with the count the board reports.
				this.phase = { kind: 'cancelled', demo: demo.id, discardedBytes: 0 };
			} else {
				this.phase = {
					kind: 'rejected',
					demo: demo.id,
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
		const demo = this.demo.id;
		const discardedBytes = await session.abort().catch(() => 0);
		this.phase = { kind: 'cancelled', demo, discardedBytes };
	}
}
