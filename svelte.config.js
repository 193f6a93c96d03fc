import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// A test-only build variant (tests/e2e/harness/build.ts), e.g. 'wrong-expectation': built into its
// own directories so it never touches the real build/, and never shipped.
const variant = process.env.TINYTWIN_BUILD_VARIANT;
const suffix = variant ? `-${variant}` : '';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ pages: `build${suffix}`, assets: `build${suffix}`, fallback: '404.html' }),
		outDir: `.svelte-kit${suffix}`,
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
