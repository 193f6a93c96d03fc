// A host board process behind a fault injector, restartable with the same flash file (a board reset
// that keeps flash). Used by the conformance tests.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from '../../src/lib/protocol';
import { FaultyTransport } from '../../src/lib/transport/faults';
import { ChildProcessTransport, hostBoardPath } from '../../src/lib/transport/node';

export const BOARD = hostBoardPath();

export function requireHostBoard(): void {
	if (!existsSync(BOARD))
		throw new Error(`${BOARD} is missing: build it with "make -C firmware host".`);
}

/** Timeouts sized for an unthrottled pipe: a lost frame is noticed in tens of milliseconds. */
export const PIPE_TIMING = { latencyMs: 40, commitMs: 500, attempts: 6, maxStalls: 40 };

export class HostBoard {
	readonly flashFile: string | null;
	child!: ChildProcessTransport;
	faulty!: FaultyTransport;
	session!: Session;

	constructor(
		readonly profile: string,
		withFlash: boolean,
		readonly seed: number
	) {
		this.flashFile = withFlash ? join(mkdtempSync(join(tmpdir(), 'tt-flash-')), 'flash.bin') : null;
	}

	/** Starts (or restarts) the process and shakes hands with no faults active. */
	async start(): Promise<Session> {
		const args = ['--profile', this.profile];
		if (this.flashFile !== null) args.push('--flash', this.flashFile);
		this.child = new ChildProcessTransport({ command: BOARD, args });
		this.faulty = new FaultyTransport(this.child, {
			seed: this.seed,
			onReset: () => this.child.kill()
		});
		this.session = await Session.open(this.faulty, { timeoutMs: 3000, ...PIPE_TIMING });
		return this.session;
	}

	/** A reset: the process dies (RAM is lost, the flash file stays), then boots again. */
	async reset(): Promise<Session> {
		await this.faulty.reset();
		await this.child.close().catch(() => undefined);
		return this.start();
	}

	async stop(): Promise<void> {
		await this.session?.close().catch(() => undefined);
		await this.faulty?.close().catch(() => undefined);
	}
}
