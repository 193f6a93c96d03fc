// The compare's run recorder: finish() resolves only once the run's last points and its status have
// landed, so a page that says "done" after awaiting it can be left at once without the run being
// found unfinished (and marked interrupted) on the next load.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../../src/lib/protocol';
import { appStorage } from '../../../src/lib/state/app-storage';
import { startRunRecorder } from '../../../src/lib/state/run-recorder';
import { points } from './helpers';

const session = {
	hello: { board: 'virtual', firmware: { major: 0, minor: 1, patch: 0 }, tickHz: 1_000_000 },
	transport: { info: { kind: 'virtual' } }
} as unknown as Session;

describe('run recorder', () => {
	it('finish resolves after every append and the status are stored', async () => {
		const problems: string[] = [];
		const rec = await startRunRecorder(
			{
				demo: 'sine',
				model: { name: 'sine', crc: 1, length: 10 },
				inputs: { source: 'sweep', count: 600, min: 0, max: 6 },
				io: { kind: 'regression', xLabel: 'x', yLabel: 'sin x' }
			},
			session,
			(p) => problems.push(p)
		);
		expect(rec.runId).not.toBeNull();
		for (let k = 0; k < 6; k++) rec.append(points(100 * k, 100));
		await rec.finish('complete', null);
		const stored = await (await appStorage()).getRun(rec.runId!);
		expect(problems).toEqual([]);
		expect(stored?.run.status).toBe('complete');
		expect(stored?.points).toHaveLength(600);
	});
});
