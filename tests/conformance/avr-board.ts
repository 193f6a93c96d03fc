// The Arduino Mega 2560 (firmware/targets/avr) as a child process: run-board.sh starts the simavr
// harness with the real TinyTwin sketch built by arduino-mk against Debian's Arduino AVR core, its
// USART0 on the process's stdin/stdout at 115 200 baud. Missing tools are a test failure with the
// packages to install, never a skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Session } from '../../src/lib/protocol';
import type { SessionOptions } from '../../src/lib/protocol';
import { FaultyTransport } from '../../src/lib/transport/faults';
import type { FaultOptions } from '../../src/lib/transport/faults';
import { ChildProcessTransport } from '../../src/lib/transport/node';

export const AVR_DIR = resolve('firmware/targets/avr');
export const RUN_BOARD = resolve(AVR_DIR, 'run-board.sh');
export const ELF = resolve('firmware/build/avr/mega2560/TinyTwin.elf');
export const HARNESS = resolve('firmware/build/avr/tt-simavr');

/** 115 200 baud, 8N1: 11 520 bytes/s on the wire; the timeouts follow from it (protocol.md §6.4). */
export const AVR_TIMING = {
	bytesPerSecond: 11_520,
	latencyMs: 250,
	commitMs: 3000,
	attempts: 6,
	maxStalls: 40
};

/** Simulated time may run this many times faster than wall time (1 = a real board's pace). */
export const AVR_SPEED = process.env.TT_AVR_SPEED ?? '1';

/** Another image of the sketch to run instead of the one make builds (e.g. a variant under test). */
const AVR_ELF = process.env.TT_AVR_ELF;
/** The image the boards run. */
export const RUN_ELF = AVR_ELF ?? ELF;

function onPath(cmd: string): boolean {
	for (const dir of (process.env.PATH ?? '').split(':')) {
		if (dir && existsSync(resolve(dir, cmd))) return true;
	}
	return false;
}

/** Builds the sketch and the harness (incremental); throws a clear error if a tool is missing. */
export function requireAvr(): void {
	const missing: string[] = [];
	if (!onPath('avr-g++')) missing.push('avr-g++ (Debian packages gcc-avr, avr-libc)');
	if (!onPath('avr-size') || !onPath('avr-nm')) missing.push('avr-size/avr-nm (binutils-avr)');
	if (!existsSync('/usr/share/arduino/Arduino.mk')) missing.push('Arduino.mk (arduino-mk)');
	if (!existsSync('/usr/share/arduino/hardware/arduino/avr/cores/arduino/Arduino.h'))
		missing.push("Arduino's AVR core (arduino-core-avr)");
	if (!existsSync('/usr/include/simavr/sim_avr.h'))
		missing.push('libsimavr headers and library (libsimavr-dev, libelf-dev)');
	if (!onPath('cc')) missing.push('a C compiler (gcc)');
	if (missing.length > 0)
		throw new Error(
			`The AVR board needs ${missing.join(', ')}: install them with scripts/install-system-deps.sh.`
		);
	execFileSync('make', ['-s', '-C', AVR_DIR], { stdio: ['ignore', 'ignore', 'inherit'] });
	for (const f of [ELF, HARNESS])
		if (!existsSync(f)) throw new Error(`${f} was not built by make -C ${AVR_DIR}.`);
}

/** One simulated Mega 2560 behind a fault injector. */
export class AvrBoard {
	child!: ChildProcessTransport;
	faulty!: FaultyTransport;
	session!: Session;

	constructor(readonly args: string[] = []) {}

	/** RAM-only board: a reset is a fresh simulator (the conformance matrix never asks for one). */
	async reset(): Promise<Session> {
		await this.stop();
		return this.start();
	}

	async start(faults: FaultOptions = {}, opts: SessionOptions = {}): Promise<Session> {
		this.child = new ChildProcessTransport({
			command: RUN_BOARD,
			args: ['--speed', AVR_SPEED, ...(AVR_ELF ? ['--elf', AVR_ELF] : []), ...this.args],
			bytesPerSecond: AVR_TIMING.bytesPerSecond
		});
		this.faulty = new FaultyTransport(this.child, faults);
		this.session = await Session.open(this.faulty, { timeoutMs: 6000, ...AVR_TIMING, ...opts });
		return this.session;
	}

	/** Ends the line (stdin closes): the board answers what it received, then the harness exits. */
	async stop(): Promise<void> {
		await this.session?.close().catch(() => undefined);
		await this.faulty?.close().catch(() => undefined);
	}

	/** The harness's log: a USART data overrun (a byte the chip would have lost) is reported there. */
	get log(): string {
		return this.child?.stderr ?? '';
	}
}
