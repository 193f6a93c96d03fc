// Bundles TypeScript for a page with esbuild (a Vite dependency), for test pages that load pieces of
// src/ without the whole app.
import { build } from 'esbuild';

/** An IIFE that puts `entry`'s exports on `window[globalName]`. */
export async function bundleForBrowser(entry: string, globalName: string): Promise<string> {
	const result = await build({
		entryPoints: [entry],
		bundle: true,
		format: 'iife',
		globalName,
		platform: 'browser',
		target: 'chrome120',
		write: false,
		sourcemap: 'inline',
		logLevel: 'silent'
	});
	const out = result.outputFiles[0];
	if (!out) throw new Error(`esbuild produced nothing for ${entry}.`);
	return out.text;
}
