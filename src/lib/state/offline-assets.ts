// Files the service worker cannot learn from SvelteKit's build list: Vite emits Web Workers outside
// the client manifest, so `$service-worker`'s `build` lacks the virtual board's worker. Importing it
// with ?worker&url yields the very file `new Worker(new URL(…))` in virtual-board.ts loads (Vite
// bundles each worker module once), which the page then asks the service worker to precache.
import boardWorkerUrl from '$lib/transport/virtual-board-worker.ts?worker&url';

export const EXTRA_PRECACHE: readonly string[] = [boardWorkerUrl];

/** EXTRA_PRECACHE as same-origin paths, resolved against `base` (the page's URL). */
export function extraPrecachePaths(base: string): string[] {
	return EXTRA_PRECACHE.map((u) => new URL(u, base).pathname);
}
