// Command-line options shared by the commands, parsed strictly (unknown options are usage errors).
import { parseArgs } from 'node:util';
import { UsageError } from './errors';

export const deviceOptions = {
	board: { type: 'string' },
	port: { type: 'string' },
	baud: { type: 'string' },
	profile: { type: 'string' },
	'line-rate': { type: 'string' },
	flash: { type: 'string' },
	timeout: { type: 'string' },
	json: { type: 'boolean' },
	help: { type: 'boolean', short: 'h' }
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface Parsed {
	values: Record<string, string | boolean | undefined>;
	positionals: string[];
}

export function parse(args: string[], extra: OptionSpec = {}): Parsed {
	try {
		const { values, positionals } = parseArgs({
			args,
			options: { ...deviceOptions, ...extra },
			allowPositionals: true,
			strict: true
		});
		return { values: values as Parsed['values'], positionals };
	} catch (e) {
		const message = (e as Error).message;
		// Node's text for `--limit -3` spans three lines; say it in one sentence.
		const ambiguous = /^Option '(--[\w-]+)(?:, -\w)?(?: <value>)?' argument is ambiguous/.exec(
			message
		);
		if (ambiguous)
			throw new UsageError(
				`${ambiguous[1]} needs a value, and a value that starts with a dash is written with "=" (${ambiguous[1]}=-VALUE). Run "tinytwin help" for the options.`
			);
		const unknown = /^Unknown option '([^']+)'/.exec(message);
		const first = unknown
			? `Unknown option ${unknown[1]}`
			: message.split('\n')[0]!.replace(/\.$/, '');
		throw new UsageError(`${first}. Run "tinytwin help" for the options.`);
	}
}

/** A whole number option in [min, max], or `fallback` when absent. */
export function intOption(
	p: Parsed,
	name: string,
	fallback: number,
	min = 0,
	max = Number.MAX_SAFE_INTEGER
): number {
	const raw = p.values[name];
	if (raw === undefined) return fallback;
	const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(n) || n < min || n > max) {
		throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
	}
	return n;
}

export function stringOption(p: Parsed, name: string): string | undefined {
	const v = p.values[name];
	return typeof v === 'string' ? v : undefined;
}

export function flag(p: Parsed, name: string): boolean {
	return p.values[name] === true;
}
