// docs: the conformance matrix of issue 2 — at least 1 000 uploads through bit flips (byte error rate
// 1e-3), dropped and duplicated frames, writes split at every size, board resets mid-upload and aborts,
// into the real host board process. Zero corrupt commits; the previous model answers after every
// failure; every failure is a clear, typed error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, it } from 'vitest';
import { expectMatrixPassed } from './board-suite';
import { requireHostBoard } from './host-board';
import { runMatrix } from './upload-matrix';
import type { MatrixReport, ShardConfig } from './upload-matrix';

const scale = Number(process.env.TT_MATRIX_SCALE ?? 1);
const SHARDS: (ShardConfig & { name: string })[] = [
	{
		name: 'host profile, flash',
		profile: 'host',
		flash: true,
		seed: 11,
		uploads: 300,
		widths: [4, 12, 24, 40, 60, 80],
		poolBytes: 1 << 20
	},
	{
		name: 'nano33ble profile, flash',
		profile: 'nano33ble',
		flash: true,
		seed: 22,
		uploads: 300,
		widths: [4, 16, 32, 48, 64],
		poolBytes: 192 * 1024
	},
	{
		// The MKR Zero sketch keeps models in RAM only (docs/targets/arduino.md).
		name: 'samd21 profile, RAM only',
		profile: 'samd21',
		flash: false,
		seed: 33,
		uploads: 200,
		widths: [4, 12, 24, 36],
		poolBytes: 16 * 1024
	},
	{
		name: 'mega2560 profile, RAM only',
		profile: 'mega2560',
		flash: false,
		seed: 44,
		uploads: 200,
		widths: [2, 4, 8, 12],
		poolBytes: 4 * 1024
	}
];

const reports: Record<string, MatrixReport> = {};

describe('upload fault matrix (host board)', () => {
	beforeAll(requireHostBoard);

	for (const shard of SHARDS) {
		const uploads = Math.max(10, Math.round(shard.uploads * scale));
		it(`${shard.name}: ${uploads} uploads, zero corrupt commits, previous model always answers`, async () => {
			const lines: string[] = [];
			const r = await runMatrix({ ...shard, uploads }, (l) => lines.push(l));
			reports[shard.name] = r;
			mkdirSync('test-results', { recursive: true });
			writeFileSync('test-results/conformance-matrix.json', JSON.stringify(reports, null, 2));
			console.log(
				`[matrix] ${shard.name}: ${JSON.stringify({ ...r, unclearErrors: r.unclearErrors.slice(0, 5) })}`
			);
			if (lines.length > 0) console.log(lines.slice(0, 20).join('\n'));
			expectMatrixPassed(r, uploads);
		}, 900_000);
	}
});
