// Opens the board the user chose: `--board host` spawns the host board process (the firmware core
// built for this machine), `--port PATH` opens a serial port. Returns a connected Session.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from '../src/lib/protocol';
import type { SessionOptions } from '../src/lib/protocol';
import type { Transport } from '../src/lib/protocol/link';
import { ChildProcessTransport } from '../src/lib/transport/node/child-process';
import { NodeSerialTransport } from '../src/lib/transport/node/node-serial';
import { CliError, UsageError } from './errors';
import { PROFILE_IDS } from '../src/lib/model/fit/board-profiles';
import { intOption, stringOption } from './options';
import type { Parsed } from './options';
import type { Output } from './output';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const hostBoardPath = join(repoRoot, 'firmware', 'build', 'host', 'tinytwin-board');
export const PROFILES = PROFILE_IDS;

export interface DeviceChoice {
	kind: 'host' | 'serial';
	/** Host board: profile, simulated line rate (0 = unthrottled), flash file. */
	profile: string;
	lineRate: number;
	flash?: string;
	/** Serial port. */
	port?: string;
	baud: number;
	timeoutMs: number;
}

export function deviceChoice(p: Parsed): DeviceChoice {
	const board = stringOption(p, 'board');
	const port = stringOption(p, 'port');
	if (board !== undefined && port !== undefined) {
		throw new UsageError('Choose one device: either --board host or --port PATH, not both.');
	}
	if (board !== undefined && board !== 'host') {
		throw new UsageError(
			`Unknown board "${board}". The only built-in board is "host"; for a real board use --port PATH.`
		);
	}
	const profile = stringOption(p, 'profile') ?? 'host';
	if (!(PROFILES as readonly string[]).includes(profile)) {
		throw new UsageError(`Unknown profile "${profile}". Profiles: ${PROFILES.join(', ')}.`);
	}
	return {
		kind: port !== undefined ? 'serial' : 'host',
		profile,
		lineRate: intOption(p, 'line-rate', 0, 0, 100_000_000),
		flash: stringOption(p, 'flash'),
		port,
		baud: intOption(p, 'baud', 115_200, 300, 100_000_000),
		timeoutMs: intOption(p, 'timeout', 3000, 10, 600_000)
	};
}

/** Builds the host board from firmware/ if it is missing (needs g++ and make). */
export function ensureHostBoard(out: Output): string {
	if (existsSync(hostBoardPath)) return hostBoardPath;
	out.note('Building the host board (make -C firmware host)…');
	try {
		execFileSync('make', ['-C', join(repoRoot, 'firmware'), 'host'], {
			stdio: ['ignore', 'ignore', 'inherit']
		});
	} catch {
		throw new CliError(
			'Could not build the host board. Install g++ and make (or run "npm test" once, which installs them), then try again.'
		);
	}
	return hostBoardPath;
}

export function createTransport(choice: DeviceChoice, out: Output): Transport {
	if (choice.kind === 'serial') {
		return new NodeSerialTransport({ path: choice.port!, baudRate: choice.baud });
	}
	const args = ['--profile', choice.profile];
	if (choice.lineRate > 0) args.push('--baud', String(choice.lineRate));
	if (choice.flash !== undefined) args.push('--flash', choice.flash);
	return new ChildProcessTransport({
		command: ensureHostBoard(out),
		args,
		bytesPerSecond: choice.lineRate > 0 ? choice.lineRate / 10 : undefined
	});
}

export interface Connected {
	session: Session;
	transport: Transport;
	close(): Promise<void>;
}

export async function connect(
	choice: DeviceChoice,
	out: Output,
	signal?: AbortSignal,
	sessionOptions: SessionOptions = {}
): Promise<Connected> {
	const transport = createTransport(choice, out);
	const session = await Session.open(transport, {
		signal,
		timeoutMs: choice.timeoutMs,
		...sessionOptions
	});
	return {
		session,
		transport,
		async close() {
			session.close();
			await transport.close();
		}
	};
}
