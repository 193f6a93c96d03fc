// The session over a line that corrupts, drops, duplicates and splits frames (seeded, reproducible).
import { describe, expect, it } from 'vitest';
import type { LaneFaults } from '$lib/transport/faults';
import { FakeBoard, fakeOutput } from './helpers/fake-board';
import { connect, testBlob } from './helpers/setup';

const lines: Array<[string, LaneFaults, LaneFaults]> = [
	['bit errors both ways', { byteErrorRate: 2e-4 }, { byteErrorRate: 2e-4 }],
	['drops and duplicates toward the board', { dropFrameRate: 0.05, duplicateFrameRate: 0.05 }, {}],
	['random splits and delays', { split: 'random', delayMs: [0, 2] }, { split: 'random' }],
	[
		'everything at once',
		{ byteErrorRate: 1e-4, dropFrameRate: 0.03, duplicateFrameRate: 0.03, split: 'random' },
		{ byteErrorRate: 1e-4, dropFrameRate: 0.03, split: 7 }
	]
];

describe('Session over a faulty line', () => {
	for (const [name, toBoard, toHost] of lines) {
		it(`uploads and infers correctly: ${name}`, async () => {
			for (const seed of [1, 2, 3]) {
				const { s, fake, line } = await connect(
					{ maxPayload: 512, window: 4, inputBytes: 2, outputBytes: 3 },
					{ latencyMs: 25, maxStalls: 40 },
					{ seed }
				);
				if ('setFaults' in line) line.setFaults({ toBoard, toHost });
				const blob = testBlob(12_000, seed);
				await s.upload(blob);
				expect((fake as FakeBoard).model?.blob).toEqual(blob);
				const inputs = testBlob(2 * 400, seed + 10);
				const r = await s.infer(inputs, { count: 400, inputBytes: 2, outputBytes: 3 });
				for (let i = 0; i < 400; i += 37) {
					expect(r.outputs.subarray(i * 3, i * 3 + 3)).toEqual(
						fakeOutput(inputs.subarray(i * 2, i * 2 + 2), 3)
					);
				}
				await s.close();
			}
		});
	}
});
