// Runs the CLI as a user does (`node cli/bin/tinytwin.js …`, a real process) and returns its exit
// code and output instead of throwing on a non-zero exit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function tinytwin(
	...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
	try {
		const { stdout, stderr } = await run('node', ['cli/bin/tinytwin.js', ...args], {
			timeout: 120_000
		});
		return { code: 0, stdout, stderr };
	} catch (e) {
		const err = e as { code: number; stdout: string; stderr: string };
		return { code: err.code, stdout: err.stdout, stderr: err.stderr };
	}
}
