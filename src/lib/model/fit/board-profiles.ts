// Known boards for the fit check before there is a board to ask: what the chip has, and what the
// TinyTwin firmware leaves of it for models. This is the one source of the profiles (issue 9): the
// firmware figures (name, clock, pool for blob + arena, frame payload, window, flash region and
// bank) go from here into firmware/examples/TinyTwin/board_profiles.h (`npx tsx
// scripts/gen-board-profiles.ts`), which the sketch's board_*.h, the host and virtual boards'
// table (firmware/targets/host/profiles.cpp) and the QEMU Cortex-M4 shell read;
// tests/unit/model/board-profiles-header.test.ts fails while the committed header differs, and
// checks the docs that quote these figures. A blob in the flash slot may take one bank: half the
// flash region, in whole 4 KiB sectors (firmware/targets/host/main.cpp, targets/wasm/shell.cpp
// `bank_bytes`, the sketch's kFlashBankBytes).
import { ALL_OPCODES, OPCODE } from '../ops/registry';

const KiB = 1024;
const MiB = 1024 * KiB;
const FLASH_SECTOR = 4096;

/**
 * Ops the TinyTwin firmware has (firmware/src/op_list.h, in opcode order): every operator of the
 * format. A 32-bit board's build runs them all.
 */
export const FIRMWARE_OPS: readonly number[] = ALL_OPCODES;

/**
 * The MLP set of format 1.0, the ops an 8-bit AVR build keeps (op_list.h: TT_OPS_EXTENDED = 0 there).
 */
export const MLP_OPS: readonly number[] = [
	OPCODE.ADD,
	OPCODE.DEQUANTIZE,
	OPCODE.FULLY_CONNECTED,
	OPCODE.RELU,
	OPCODE.RELU6,
	OPCODE.SOFTMAX,
	OPCODE.QUANTIZE
];

/**
 * Every board profile's id, in the order of BOARD_PROFILES (and so of the generated C++ table): the
 * one list the CLI, the virtual board and the fit check use.
 */
export const PROFILE_IDS = [
	'host',
	'nano33ble',
	'rp2040',
	'esp32',
	'esp32s3',
	'samd21',
	'mega2560'
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface BoardProfile {
	/** The firmware's profile name (`--profile` of the host board, the virtual board's profile). */
	id: ProfileId;
	/** Human name of the boards it stands for. */
	name: string;
	/** Other names accepted by `findProfile` (compared without case, spaces or punctuation). */
	aliases: readonly string[];
	mcu: string;
	/** What the chip has. */
	ramBytes: number;
	flashBytes: number;
	/** Qualifies the chip figures when they vary by board ("2–16 MB depending on the board"). */
	note?: string;
	/** RAM the firmware leaves for a RAM-slot blob and the arena together. */
	poolBytes: number;
	/** Flash the firmware reserves for models (both banks); 0 = no flash slot. */
	flashRegionBytes: number;
	/** The largest blob the flash slot holds (one bank); 0 = no flash slot. */
	flashSlotBytes: number;
	/** Frame limits: largest payload, frames in flight. */
	maxPayload: number;
	window: number;
	cpuHz: number;
	/** TFLite builtin opcodes the firmware executes. */
	ops: readonly number[];
	/** The loader's static tables (build_config.h kMaxTensors / kMaxOps): more is TOO_MANY. */
	maxTensors: number;
	maxOps: number;
}

function profile(
	p: Omit<BoardProfile, 'flashSlotBytes' | 'ops' | 'aliases' | 'maxTensors' | 'maxOps'> & {
		aliases?: string[];
		/** An 8-bit AVR: the MLP op set and 128-entry tables (firmware/src/build_config.h). */
		avr?: boolean;
	}
): BoardProfile {
	const { avr, ...rest } = p;
	return {
		...rest,
		aliases: p.aliases ?? [],
		flashSlotBytes: Math.floor(p.flashRegionBytes / 2 / FLASH_SECTOR) * FLASH_SECTOR,
		ops: avr ? MLP_OPS : FIRMWARE_OPS,
		maxTensors: avr ? 128 : 1024,
		maxOps: avr ? 128 : 1024
	};
}

/** In the order of PROFILE_IDS (tests/unit/model/fit-check.test.ts). */
export const BOARD_PROFILES: readonly BoardProfile[] = [
	profile({
		id: 'host',
		name: 'Virtual board (host process / in the browser)',
		aliases: ['virtual', 'virtual board', 'sim'],
		mcu: 'none (the firmware core on this machine)',
		ramBytes: 1 * MiB,
		flashBytes: 2 * MiB,
		note: 'emulated; sized as the largest profile',
		poolBytes: 1 * MiB,
		flashRegionBytes: 2 * MiB,
		maxPayload: 4096,
		window: 8,
		cpuHz: 0
	}),
	profile({
		id: 'nano33ble',
		name: 'Arduino Nano 33 BLE / BLE Sense',
		aliases: ['nano 33 ble', 'nano33blesense', 'nano 33 ble sense', 'nrf52840', 'arduino nano 33'],
		mcu: 'nRF52840 (Cortex-M4F, 64 MHz)',
		ramBytes: 256 * KiB,
		flashBytes: 1 * MiB,
		poolBytes: 192 * KiB,
		flashRegionBytes: 512 * KiB,
		maxPayload: 1024,
		window: 4,
		cpuHz: 64_000_000
	}),
	profile({
		id: 'rp2040',
		name: 'Raspberry Pi Pico / RP2040 boards',
		aliases: ['pico', 'raspberry pi pico', 'rpi pico', 'nano rp2040 connect'],
		mcu: 'RP2040 (dual Cortex-M0+, 133 MHz)',
		ramBytes: 264 * KiB,
		flashBytes: 2 * MiB,
		note: 'flash 2–16 MB depending on the board',
		poolBytes: 192 * KiB,
		// Two 508 KiB banks: with its two 4 KiB metadata sectors the sketch's store fills 1 MiB exactly
		// (a 1 MiB file-system area on Arduino-Pico, the top 1 MiB on Mbed; docs/targets/arduino.md).
		flashRegionBytes: 1016 * KiB,
		maxPayload: 1024,
		window: 4,
		cpuHz: 133_000_000
	}),
	profile({
		id: 'esp32',
		name: 'ESP32',
		aliases: ['esp32 devkit', 'esp32-wroom'],
		mcu: 'ESP32 (Xtensa LX6, 240 MHz)',
		ramBytes: 520 * KiB,
		flashBytes: 4 * MiB,
		note: '4 MB flash is typical',
		// ESP32 static DRAM is capped at 160 KiB, of which the Arduino core takes ~25 KiB; window 1:
		// a flash erase stalls the UART interrupt (docs/targets/arduino.md).
		poolBytes: 112 * KiB,
		flashRegionBytes: 1 * MiB,
		maxPayload: 1024,
		window: 1,
		cpuHz: 240_000_000
	}),
	profile({
		id: 'esp32s3',
		name: 'ESP32-S3',
		aliases: ['esp32-s3', 'esp32s3 devkit', 'esp32-s3-devkitc'],
		mcu: 'ESP32-S3 (dual Xtensa LX7, 240 MHz)',
		ramBytes: 512 * KiB,
		flashBytes: 8 * MiB,
		note: '4–16 MB flash depending on the board',
		// Native USB CDC (USB CDC On Boot) build: more static DRAM than the ESP32 and no UART FIFO to
		// overrun during a flash erase; the UART build of the sketch reports window 1.
		poolBytes: 160 * KiB,
		flashRegionBytes: 1 * MiB,
		maxPayload: 1024,
		window: 4,
		cpuHz: 240_000_000
	}),
	profile({
		id: 'samd21',
		name: 'Arduino MKR Zero (SAMD21)',
		aliases: ['mkr zero', 'mkrzero', 'samd21 mkr zero', 'arduino mkr zero'],
		mcu: 'ATSAMD21G18 (Cortex-M0+, 48 MHz)',
		ramBytes: 32 * KiB,
		flashBytes: 256 * KiB,
		poolBytes: 16 * KiB,
		flashRegionBytes: 0, // RAM-only models in the sketch
		maxPayload: 512,
		window: 2,
		cpuHz: 48_000_000
	}),
	profile({
		id: 'mega2560',
		avr: true,
		name: 'Arduino Mega 2560',
		aliases: ['mega', 'arduino mega', 'atmega2560'],
		mcu: 'ATmega2560 (AVR, 16 MHz)',
		ramBytes: 8 * KiB,
		flashBytes: 256 * KiB,
		poolBytes: 4 * KiB,
		flashRegionBytes: 0,
		maxPayload: 128,
		window: 2,
		cpuHz: 16_000_000
	})
];

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The profile called `name` (its id or an alias, ignoring case and punctuation), or null. */
export function findProfile(name: string): BoardProfile | null {
	const key = normalize(name);
	if (key === '') return null;
	return (
		BOARD_PROFILES.find(
			(p) => normalize(p.id) === key || p.aliases.some((a) => normalize(a) === key)
		) ?? null
	);
}

/** "host, nano33ble, …" for error messages and help. */
export function profileIds(): string {
	return BOARD_PROFILES.map((p) => p.id).join(', ');
}
