// The service worker, registered through workbox-window: reports when a new version is waiting and
// activates it only when the person asks (the worker calls skipWaiting() on our message alone).
// "Works offline" is shown once the worker is active and has also cached the files SvelteKit's
// build list misses (offline-assets.ts).
import { version } from '$app/environment';
import { Workbox } from 'workbox-window';
import { extraPrecachePaths } from './offline-assets';

export class PwaState {
	/** A new version is installed and waiting for this page to let it take over. */
	updateWaiting = $state(false);
	/** Everything this page needs is cached: it will load and run with no network. */
	offlineReady = $state(false);
	#wb: Workbox | null = null;

	/** Registers `url` (the built /service-worker.js). Does nothing where service workers are absent. */
	register(url: string): void {
		if (this.#wb || !('serviceWorker' in navigator)) return;
		const wb = new Workbox(url);
		wb.addEventListener('waiting', () => (this.updateWaiting = true));
		this.#wb = wb;
		void (async () => {
			try {
				await wb.register();
				const reply: unknown = await wb.messageSW({
					type: 'PRECACHE',
					version,
					urls: extraPrecachePaths(location.href)
				});
				await navigator.serviceWorker.ready;
				this.offlineReady = (reply as { ok?: unknown } | null)?.ok === true;
			} catch (e) {
				console.warn('TinyTwin: offline use is not set up.', e);
			}
		})();
	}

	/** Lets the waiting version take over, then reloads into it. */
	applyUpdate(): void {
		const wb = this.#wb;
		if (!wb) return;
		wb.addEventListener('controlling', () => window.location.reload());
		wb.messageSkipWaiting();
	}
}
