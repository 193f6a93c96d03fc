import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syntheticBlob, syntheticBlobNear } from '../../../cli/synthetic-model';
import { sineModel } from '../../../src/lib/demos/sine/sine';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import {
	PROFILE_IDS,
	BOARD_PROFILES,
	FIRMWARE_OPS,
	MLP_OPS,
	findProfile
} from '../../../src/lib/model/fit/board-profiles';
import {
	checkFit,
	fitProblems,
	opName,
	targetFromProfile
} from '../../../src/lib/model/fit/fit-check';
import { OPCODE } from '../../../src/lib/model/ops/registry';
import type { HelloInfo } from '../../../src/lib/protocol/messages';

const profile = (id: string) => findProfile(id)!;
const sine = () => readBlob(sineModel().blob);

function hello(over: Partial<HelloInfo> = {}): HelloInfo {
	return {
		protocol: 1,
		firmware: { major: 1, minor: 0, patch: 0 },
		board: 'test',
		cpuHz: 0,
		tickHz: 1_000_000,
		maxPayload: 1024,
		window: 4,
		storage: { ram: true, flash: true },
		poolBytes: 4096,
		flashBytes: 8192,
		ops: [...FIRMWARE_OPS],
		model: null,
		pending: null,
		...over
	};
}

describe('board profiles', () => {
	it('give the firmware its figures through the generated header', () => {
		// firmware/targets/host/profiles.cpp builds its table from board_profiles.h, which
		// scripts/gen-board-profiles.ts writes from these profiles (board-profiles-header.test.ts).
		const src = readFileSync('firmware/targets/host/profiles.cpp', 'utf8');
		expect(src).toContain('TT_BOARD_PROFILES(TT_PROFILE_ROW)');
		expect(BOARD_PROFILES.map((p) => p.id)).toEqual([...PROFILE_IDS]);
	});

	it('list the ops of the firmware loader and find boards by alias', () => {
		// The firmware's operator table (every operator of a default build, by TFLite name).
		const opList = readFileSync('firmware/src/op_list.h', 'utf8');
		const table = /#define TT_OP_LIST\(X\)([^]*?)(?:\n\n|$)/.exec(opList)![1]!;
		const names = [...table.matchAll(/X\((\w+)\)/g)].map((m) => m[1]!);
		// The firmware's table and the TypeScript registry list the same operators in the same order.
		expect(names.map((n) => OPCODE[n as keyof typeof OPCODE])).toEqual(FIRMWARE_OPS);
		expect([...FIRMWARE_OPS].sort((a, b) => a - b)).toEqual(
			Object.values(OPCODE).sort((a, b) => a - b)
		);
		// The 8-bit AVR keeps the MLP set and 128-entry tables (build_config.h); others run everything.
		const buildConfig = readFileSync('firmware/src/build_config.h', 'utf8');
		expect(buildConfig).toMatch(
			/__AVR__\)\n#define TT_MAX_TENSORS 128\n#else\n#define TT_MAX_TENSORS 1024/
		);
		expect(profile('mega2560')).toMatchObject({ ops: MLP_OPS, maxTensors: 128, maxOps: 128 });
		// The MLP set: the operators op_list.h turns on whatever TT_OPS_EXTENDED says.
		const mlp = [...opList.matchAll(/#define TT_OP_(\w+) 1\n/g)].map((m) => m[1]!);
		expect(mlp.map((n) => OPCODE[n as keyof typeof OPCODE]).sort((a, b) => a - b)).toEqual(
			[...MLP_OPS].sort((a, b) => a - b)
		);
		expect(profile('nano33ble')).toMatchObject({ ops: FIRMWARE_OPS, maxTensors: 1024 });
		expect(findProfile('Nano 33 BLE Sense')!.id).toBe('nano33ble');
		expect(findProfile('pico')!.id).toBe('rp2040');
		expect(findProfile('MKR-Zero')!.id).toBe('samd21');
		expect(findProfile('virtual')!.id).toBe('host');
		expect(findProfile('uno')).toBeNull();
		expect(profile('mega2560').flashSlotBytes).toBe(0);
		expect(profile('nano33ble').flashSlotBytes).toBe(256 * 1024);
	});
});

describe('checkFit', () => {
	it('the sine model fits every profile, with the numbers that say so', () => {
		const model = sine();
		for (const p of BOARD_PROFILES) {
			const r = checkFit(model, targetFromProfile(p));
			expect(r.fits, p.id).toBe(true);
			expect(r.problems).toEqual([]);
			expect(r.modelBytes).toBe(model.bytes.length);
			expect(r.arenaBytes).toBe(model.arenaSize);
			expect(r.ram.needed).toBe(Math.ceil(model.bytes.length / 16) * 16 + model.arenaSize);
			expect(r.ram.available).toBe(p.poolBytes);
			expect(r.ops.present).toEqual([{ opcode: 9, name: 'FULLY_CONNECTED', count: 3 }]);
			expect(r.ops.missing).toEqual([]);
			expect(r.summary).toMatch(/^"sine \(int8\)" fits /);
		}
	});

	it('a model too big for the Mega 2560 names its largest tensor and the shortfall', () => {
		const model = readBlob(syntheticBlobNear(6000, 3));
		const r = checkFit(model, targetFromProfile(profile('mega2560')));
		expect(r.fits).toBe(false);
		expect(r.problems).toHaveLength(1);
		const [problem] = r.problems;
		const excess = r.ram.needed - 4096;
		expect(problem!.kind).toBe('ram');
		expect(problem!.excessBytes).toBe(excess);
		expect(excess).toBeGreaterThan(0);
		// The hidden 49×49 weights are the largest constant tensor.
		const t = model.tensors[problem!.tensor!]!;
		expect(t.storage).toBe('constant');
		expect(Math.max(...model.tensors.map((x) => x.byteSize))).toBe(t.byteSize);
		expect(t.shape).toEqual([49, 49]);
		expect(problem!.message).toMatch(/it is 1\.9 KiB too large\./);
		expect(problem!.message).toContain(
			`the weights of op 1 (FULLY_CONNECTED): tensor ${problem!.tensor} (int8 [49×49], 2.3 KiB)`
		);
		expect(r.summary).toMatch(/^"synthetic-49-3" does not fit mega2560 \(RAM\)\. The model needs/);
	});

	it('a single tensor larger than the whole pool is said to exceed it alone, by how much', () => {
		const model = readBlob(syntheticBlob(100, 1));
		const r = checkFit(model, targetFromProfile(profile('mega2560')), 'ram', {
			tensorNames: ['x', 'dense/kernel', 'dense/bias', 'dense_1/kernel']
		});
		const p = r.problems[0]!;
		expect(model.tensors[p.tensor!]!.byteSize).toBe(10_000);
		expect(p.message).toMatch(/alone exceed the board's 4\.0 KiB by 5\.8 KiB\./);
		expect(p.message).toContain(`tensor ${p.tensor}`);
		expect(p.message).toMatch(/\(int8 \[100×100\], 9\.8 KiB\)/);
	});

	it('the flash slot moves the blob out of RAM; a board without one says so', () => {
		const model = readBlob(syntheticBlobNear(6000, 3));
		const nano = checkFit(model, targetFromProfile(profile('nano33ble')), 'flash');
		expect(nano.fits).toBe(true);
		expect(nano.ram.needed).toBe(model.arenaSize);
		expect(nano.flash).toEqual({ needed: model.bytes.length, available: 256 * 1024 });
		for (const id of ['mega2560', 'samd21']) {
			const none = checkFit(model, targetFromProfile(profile(id)), 'flash');
			expect(none.problems.map((p) => p.kind)).toEqual(['no-flash']);
			expect(none.problems[0]!.message).toMatch(/has no flash slot; upload to RAM instead/);
		}
		const big = readBlob(syntheticBlobNear(300_000, 2));
		const full = checkFit(big, targetFromProfile(profile('nano33ble')), 'flash');
		expect(full.problems[0]!.kind).toBe('flash');
		expect(full.problems[0]!.excessBytes).toBe(big.bytes.length - 256 * 1024);
		expect(full.problems[0]!.message).toMatch(/flash slot holds 256\.0 KiB; it is .* too large/);
	});

	it('names an op the firmware does not run, with its index', () => {
		const model = sine();
		const custom = {
			...model,
			ops: model.ops.map((o, k) => (k === 2 ? { ...o, opcode: 32 } : o))
		};
		const r = checkFit(custom, targetFromProfile(profile('nano33ble')));
		expect(r.fits).toBe(false);
		expect(r.ops.missing).toEqual([{ opcode: 32, name: 'CUSTOM', ops: [2] }]);
		expect(r.problems[0]!.message).toBe(
			'Op 2 is CUSTOM, which the firmware of "nano33ble" does not run; update the firmware or change the model.'
		);
		const mega = { ...model, ops: model.ops.map((o, k) => (k === 2 ? { ...o, opcode: 3 } : o)) };
		expect(checkFit(mega, targetFromProfile(profile('mega2560'))).ops.missing).toEqual([
			{ opcode: 3, name: 'CONV_2D', ops: [2] }
		]);
		const old = checkFit(model, { ...targetFromProfile(profile('esp32')), ops: [6, 114] });
		expect(old.problems[0]!.message).toMatch(/^Ops 0, 1 and 2 are FULLY_CONNECTED, which/);
		expect(opName(4)).toBe('DEPTHWISE_CONV_2D');
		expect(opName(999)).toBe('op 999');
	});
});

describe('fitProblems (from a handshake)', () => {
	it('keeps its sentences for the app and the upload command', () => {
		const model = sine();
		expect(fitProblems(model, hello(), 0)).toEqual([]);
		expect(fitProblems(model, hello(), 1)).toEqual([]);
		expect(fitProblems(model, hello({ storage: { ram: true, flash: false } }), 1)).toEqual([
			'The board "test" has no flash slot; upload to RAM instead.'
		]);
		const small = fitProblems(model, hello({ poolBytes: 1024 }), 0);
		expect(small).toHaveLength(1);
		expect(small[0]).toMatch(
			/^The model needs .* but the board has 1\.0 KiB; it is .* too large\./
		);
		// In flash, only the arena needs RAM.
		expect(fitProblems(model, hello({ poolBytes: 1024 }), 1)).toEqual([]);
		expect(fitProblems(model, hello({ ops: [0] }), 0)[0]).toMatch(/FULLY_CONNECTED/);
	});
});
