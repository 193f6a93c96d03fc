// Child processes the harness starts (vite build, vite preview) are killed when the test process
// exits, whatever way it exits, so no server outlives a failed run.
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hooked = false;

export function track(child: ChildProcess): ChildProcess {
	live.add(child);
	child.once('exit', () => live.delete(child));
	if (!hooked) {
		hooked = true;
		process.once('exit', () => {
			for (const c of live) c.kill('SIGKILL');
		});
	}
	return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopProcess(child: ChildProcess, graceMs = 3000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}
