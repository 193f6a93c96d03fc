// `vite preview` of build/ on a free port, waited for until it answers.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT, variantEnv, type BuildVariant } from './build';
import { stopProcess, track } from './processes';

export interface PreviewServer {
	/** http://127.0.0.1:<port> — loopback, so a secure context (Web Serial, service workers). */
	readonly url: string;
	readonly port: number;
	stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
	return new Promise((ok, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => ok(port));
		});
	});
}

async function answers(url: string): Promise<boolean> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
		return res.ok;
	} catch {
		return false;
	}
}

/** Serves build/, or a test-only variant's build (run ensureBuild() first). */
export async function startPreview(
	options: { port?: number; timeoutMs?: number; variant?: BuildVariant } = {}
): Promise<PreviewServer> {
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const args = ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'];
	const child = track(
		spawn(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), ...args], {
			cwd: ROOT,
			env: variantEnv(options.variant),
			stdio: ['ignore', 'pipe', 'pipe']
		})
	);
	let log = '';
	const keep = (b: Buffer) => (log = (log + b.toString('utf8')).slice(-4000));
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	const deadline = Date.now() + (options.timeoutMs ?? 30_000);
	while (!(await answers(`${url}/`))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			await stopProcess(child);
			throw new Error(`vite preview did not start on ${url}:\n${log}`);
		}
		await new Promise((ok) => setTimeout(ok, 100));
	}
	return { url, port, stop: () => stopProcess(child) };
}
