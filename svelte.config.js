import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ fallback: '404.html' }),
		// Registered by the layout through workbox-window, which reports a waiting update.
		serviceWorker: { register: false },
		// A strict policy in a <meta> tag (static hosting has no headers): only this origin's code,
		// no eval. 'wasm-unsafe-eval' lets the virtual board compile its WebAssembly; SvelteKit hashes
		// its own inline boot script. The one inline style attribute allowed ('unsafe-hashes' + its
		// hash) is SvelteKit's visually hidden route announcer (root.svelte); the layout's CSS hides
		// it too, in case a SvelteKit update changes the text.
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self', 'wasm-unsafe-eval'],
				'worker-src': ['self'],
				'style-src': [
					'self',
					'unsafe-hashes',
					'sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo='
				],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
