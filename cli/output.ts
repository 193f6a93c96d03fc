// Output conventions: results on stdout (text, or one JSON document with --json); progress and
// diagnostics on stderr, so `--json` output can be piped.

export interface Output {
	json: boolean;
	/** Final result: JSON document, or the given text lines. */
	result(data: unknown, text: () => string[]): void;
	/** A progress line on stderr, redrawn in place on a terminal. */
	progress(line: string): void;
	/** Ends a progress line. */
	progressDone(): void;
	note(line: string): void;
}

export function createOutput(json: boolean): Output {
	const tty = process.stderr.isTTY === true;
	let open = false;
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
			} else process.stderr.write(line + '\n');
		},
		progressDone() {
			if (open) process.stderr.write('\n');
			open = false;
		},
		note(line) {
			if (open) process.stderr.write('\n');
			open = false;
			process.stderr.write(line + '\n');
		}
	};
}

export { formatBytes, formatHex32 } from '../src/lib/format';
