/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// Offline-first: the install step precaches the whole app — every built chunk (including the lazy
// TensorFlow.js chunk), the static files (the board's .wasm, icons, manifest) and the prerendered
// pages; the demo models are inside the JS. Files Vite emits outside SvelteKit's list (the virtual
// board's Web Worker) are named by the page in a PRECACHE message and added to the same cache, and
// any /_app/immutable/ file (content-hashed, so never stale) is cached when first fetched.
// Precached URLs are served cache-first; anything else goes to the network. A new version waits
// until the page sends SKIP_WAITING (workbox-window's messageSkipWaiting) so an open dashboard is
// never swapped mid-run; old caches are deleted when a version activates.
import { build, files, prerendered, version } from '$service-worker';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `tinytwin-${version}`;
const PRECACHE = [...new Set([...build, ...files, ...prerendered, '/'])];
const PRECACHED = new Set(PRECACHE.map((p) => new URL(p, sw.location.href).pathname));
const IMMUTABLE = new URL('_app/immutable/', sw.location.href).pathname;

interface PrecacheMessage {
	type: 'PRECACHE';
	version: string;
	urls: string[];
}

function isPrecacheMessage(data: unknown): data is PrecacheMessage {
	const m = data as Partial<PrecacheMessage> | null;
	return (
		typeof m === 'object' &&
		m !== null &&
		m.type === 'PRECACHE' &&
		typeof m.version === 'string' &&
		Array.isArray(m.urls) &&
		m.urls.every((u) => typeof u === 'string')
	);
}

/** Adds same-origin `urls` of this version to the cache; answers { ok } on the message's port. */
async function precacheExtra(m: PrecacheMessage, port: MessagePort | undefined): Promise<void> {
	let ok = false;
	try {
		if (m.version === version) {
			const paths = m.urls
				.map((u) => new URL(u, sw.location.href))
				.filter((u) => u.origin === sw.location.origin)
				.map((u) => u.pathname);
			await (await caches.open(CACHE)).addAll(paths);
			for (const p of paths) PRECACHED.add(p);
			ok = true;
		}
	} finally {
		port?.postMessage({ ok });
	}
}

sw.addEventListener('install', (event) => {
	event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		caches
			.keys()
			.then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
	);
});

sw.addEventListener('message', (event) => {
	const data: unknown = event.data;
	if (isPrecacheMessage(data)) {
		event.waitUntil(precacheExtra(data, event.ports[0]));
	} else if ((data as { type?: unknown } | null)?.type === 'SKIP_WAITING') {
		void sw.skipWaiting();
	}
});

/** The precached response for `url`: the file itself, or the app shell for a page navigation. */
async function fromCache(request: Request, url: URL): Promise<Response | undefined> {
	const cache = await caches.open(CACHE);
	if (PRECACHED.has(url.pathname) || url.pathname.startsWith(IMMUTABLE)) {
		const hit = await cache.match(url.pathname);
		if (hit) return hit;
	}
	if (request.mode === 'navigate') {
		// Prerendered pages are stored without a trailing slash or .html; the rest use the shell.
		const page = url.pathname.replace(/\/$/, '').replace(/\.html$/, '');
		return (await cache.match(page || '/')) ?? (await cache.match('/'));
	}
	return undefined;
}

sw.addEventListener('fetch', (event) => {
	const request = event.request;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	event.respondWith(
		(async () => {
			const known = PRECACHED.has(url.pathname) || url.pathname.startsWith(IMMUTABLE);
			const cached = known ? await fromCache(request, url) : undefined;
			if (cached) return cached;
			try {
				const response = await fetch(request);
				if (response.ok && url.pathname.startsWith(IMMUTABLE)) {
					const copy = response.clone();
					event.waitUntil(caches.open(CACHE).then((c) => c.put(url.pathname, copy)));
				}
				return response;
			} catch (e) {
				const fallback = await fromCache(request, url);
				if (fallback) return fallback;
				throw e;
			}
		})()
	);
});
