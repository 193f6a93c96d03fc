// The Cortex-M4 board (firmware/targets/qemu-m4) as a child process: run-board.sh starts QEMU's
// mps2-an386 with the bare-metal firmware, its UART0 on the process's stdin/stdout. Missing tools
// are a test failure with the package to install, never a skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Session } from '../../src/lib/protocol';
import type { SessionOptions } from '../../src/lib/protocol';
import { FaultyTransport } from '../../src/lib/transport/faults';
import type { FaultOptions } from '../../src/lib/transport/faults';
import { ChildProcessTransport } from '../../src/lib/transport/node';

export const QEMU_M4_DIR = resolve('firmware/targets/qemu-m4');
export const RUN_BOARD = resolve(QEMU_M4_DIR, 'run-board.sh');
export const ELF = resolve('firmware/build/qemu-m4/tinytwin-m4.elf');

/** Polled UART under emulation: answers come in milliseconds, a lost frame within a fraction of a second. */
export const QEMU_TIMING = { latencyMs: 150, commitMs: 2000, attempts: 6, maxStalls: 40 };

function onPath(cmd: string): boolean {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		if (dir && existsSync(resolve(dir, cmd))) return true;
	}
	return false;
}

/** Builds the image (incremental) and checks QEMU; throws a clear error if a tool is missing. */
export function requireQemuM4(): void {
	const missing: string[] = [];
	if (!onPath('qemu-system-arm')) missing.push('qemu-system-arm (Debian package qemu-system-arm)');
	if (!onPath('arm-none-eabi-g++'))
		missing.push('arm-none-eabi-g++ (Debian packages gcc-arm-none-eabi, libnewlib-arm-none-eabi)');
	if (missing.length > 0)
		throw new Error(
			`The Cortex-M4 board needs ${missing.join(' and ')}: install them with scripts/install-system-deps.sh.`
		);
	execFileSync('make', ['-s', '-C', QEMU_M4_DIR], {
		stdio: ['ignore', 'ignore', 'inherit']
	});
	if (!existsSync(ELF)) throw new Error(`${ELF} was not built by make -C ${QEMU_M4_DIR}.`);
}

/** One emulated board behind a fault injector. */
export class QemuM4Board {
	child!: ChildProcessTransport;
	faulty!: FaultyTransport;
	session!: Session;

	constructor(readonly args: string[] = []) {}

	/** RAM-only board: a reset is a fresh emulator (the conformance matrix never asks for one). */
	async reset(): Promise<Session> {
		await this.stop();
		return this.start();
	}

	async start(faults: FaultOptions = {}, opts: SessionOptions = {}): Promise<Session> {
		this.child = new ChildProcessTransport({ command: RUN_BOARD, args: this.args });
		this.faulty = new FaultyTransport(this.child, faults);
		this.session = await Session.open(this.faulty, { timeoutMs: 6000, ...QEMU_TIMING, ...opts });
		return this.session;
	}

	/** Ends the line (stdin closes): the board answers what it received, then QEMU exits. */
	async stop(): Promise<void> {
		await this.session?.close().catch(() => undefined);
		await this.faulty?.close().catch(() => undefined);
	}
}
