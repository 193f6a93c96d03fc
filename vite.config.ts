import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { qaHeldOutAsset } from './scripts/vite-qa-held-out';

export default defineConfig({
	plugins: [qaHeldOutAsset(), sveltekit()],
	define: {
		// Only the e2e harness's 'wrong-expectation' build sets this: the compare then holds the
		// board to a deliberately wrong expectation, to show the red verdict (issue 10). Every other
		// build has false here, and the code behind it is dropped.
		__TT_TEST_WRONG_EXPECTATION__: JSON.stringify(
			process.env.TINYTWIN_BUILD_VARIANT === 'wrong-expectation'
		)
	},
	test: {
		include: ['tests/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 60_000
	}
});
