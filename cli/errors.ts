// How the CLI ends: every failure becomes one sentence on stderr and an exit code.
// 0 success, 1 the operation failed (device, file, protocol), 2 bad usage.

export class UsageError extends Error {
	override name = 'UsageError';
}

/** A failure the user can act on: the message is a full sentence with a next step. */
export class CliError extends Error {
	override name = 'CliError';
}

export function exitCodeFor(e: unknown): number {
	return e instanceof UsageError ? 2 : 1;
}

export function describe(e: unknown): string {
	if (e instanceof Error) return e.message;
	return String(e);
}
