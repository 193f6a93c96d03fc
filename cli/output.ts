// Output conventions: results on stdout (text, or one JSON document with --json); progress and
// diagnostics on stderr, so `--json` output can be piped.

export interface Output {
	json: boolean;
	/** Final result: JSON document, or the given text lines. */
	result(data: unknown, text: () => string[]): void;
	/**
	 * A progress line on stderr: redrawn in place on a terminal; elsewhere (a log, a pipe) at most
	 * one line a second, and the last one when the progress ends.
	 */
	progress(line: string): void;
	/** Ends a progress line. */
	progressDone(): void;
	note(line: string): void;
}

export function createOutput(json: boolean): Output {
	const tty = process.stderr.isTTY === true;
	let open = false;
	let lastWrite = -Infinity;
	let pending: string | null = null;
	const flush = () => {
		if (pending !== null) process.stderr.write(pending + '\n');
		pending = null;
	};
	return {
		json,
		result(data, text) {
			if (json) process.stdout.write(JSON.stringify(data, null, 2) + '\n');
			else process.stdout.write(text().join('\n') + '\n');
		},
		progress(line) {
			if (tty) {
				process.stderr.write(`\r\x1b[2K${line}`);
				open = true;
			} else if (performance.now() - lastWrite >= 1000) {
				process.stderr.write(line + '\n');
				lastWrite = performance.now();
				pending = null;
			} else pending = line;
		},
		progressDone() {
			if (open) process.stderr.write('\n');
			open = false;
			flush();
		},
		note(line) {
			flush();
			if (open) process.stderr.write('\n');
			open = false;
			process.stderr.write(line + '\n');
		}
	};
}

export { formatBytes, formatHex32 } from '../src/lib/format';
