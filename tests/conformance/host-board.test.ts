// docs: the host board process (firmware/targets/host, the core built for this machine) through the
// same board conformance suite as the Cortex-M4 under QEMU and the sketch on the ATmega2560 under
// simavr (board-suite.ts), with the Nano 33 BLE's profile and a flash slot.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { boardConformance, expectStagedInference, expectTokenModel } from './board-suite';
import { BOARD, HostBoard, requireHostBoard } from './host-board';

describe('host board process (nano33ble profile, flash slot)', () => {
	beforeAll(requireHostBoard);

	boardConformance({
		create: () => new HostBoard('nano33ble', true, 66),
		hello: {
			board: 'nano33ble',
			cpuHz: 64_000_000,
			maxPayload: 1024,
			window: 4,
			storage: { ram: true, flash: true },
			poolBytes: 192 * 1024
		},
		process: { command: BOARD, args: ['--profile', 'nano33ble'] },
		matrix: { profile: 'nano33ble', flash: true, seed: 66, uploads: 120, widths: [4, 12, 24, 40] },
		strictCleanLine: true
	});
});

describe('host board process (mega2560 profile: 128-byte frames, 4 KiB pool)', () => {
	beforeAll(requireHostBoard);
	const boards: HostBoard[] = [];
	afterEach(async () => {
		for (const b of boards.splice(0)) await b.stop();
	});

	it('runs a model whose input and result are larger than a frame through staged inference', async () => {
		const board = new HostBoard('mega2560', false, 67);
		boards.push(board);
		await expectStagedInference(await board.start());
	}, 60_000);

	it('runs a 256-token input (int32 ids + int8 features) through its 128-byte frames', async () => {
		const board = new HostBoard('mega2560', false, 68);
		boards.push(board);
		const s = await board.start();
		expect(s.hello.maxPayload).toBe(128);
		expect(await expectTokenModel(s)).toBe('ran');
	}, 60_000);
});
