// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {}
	/** True only in the e2e harness's 'wrong-expectation' build (vite.config.ts). */
	const __TT_TEST_WRONG_EXPECTATION__: boolean;
}

export {};
