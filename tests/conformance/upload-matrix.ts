// The upload fault matrix: many uploads through a fault-injecting transport into the real host board,
// each checked against the one rule that matters — the board ends up running exactly the blob that was
// sent, or it keeps running exactly what it ran before and the client got a clear error.
import { crc32, DeviceError, TinyTwinError } from '../../src/lib/protocol';
import type { ModelInfo, Session } from '../../src/lib/protocol';
import type { LaneFaults } from '../../src/lib/transport/faults';
import { createExecutor } from '../../src/lib/model/exec/reference-executor';
import type { Executor } from '../../src/lib/model/exec/reference-executor';
import { mulberry32 } from '../../src/lib/model/mlp/rng';
import type { Rng } from '../../src/lib/model/mlp/rng';
import { syntheticBlob } from '../../cli/synthetic-model';
import type { FaultyTransport } from '../../src/lib/transport/faults';
import { HostBoard } from './host-board';

/** A board the matrix can drive: started behind a fault injector, reset (flash kept), stopped. */
export interface MatrixBoard {
	readonly faulty: FaultyTransport;
	start(): Promise<Session>;
	/** A power cycle: RAM is lost, a flash slot (if any) is kept. Only used when cfg.flash. */
	reset(): Promise<Session>;
	stop(): Promise<void>;
}

export type Scenario =
	| 'clean'
	| 'bit-flips'
	| 'drops'
	| 'duplicates'
	| 'split'
	| 'mixed'
	| 'reset'
	| 'abort'
	| 'invalid-model'
	| 'oversize';

export interface ShardConfig {
	profile: string;
	flash: boolean;
	seed: number;
	uploads: number;
	/** Widths of the synthetic 1→w→w→1 models to pick from (blob ≈ w² + 14w + 600 bytes). */
	widths: number[];
	/** Board pool size (oversize blobs are one byte larger). */
	poolBytes: number;
}

export interface MatrixReport {
	uploads: number;
	committed: number;
	failedClearly: number;
	corruptCommits: number;
	previousModelLost: number;
	unclearErrors: string[];
	resumedAfterReset: number;
	byScenario: Record<string, { runs: number; committed: number; failed: number }>;
	errorsByKind: Record<string, number>;
	retransmittedBytes: number;
}

interface Known {
	blob: Uint8Array;
	crc: number;
	exec: Executor;
}

const SCENARIOS: [Scenario, number][] = [
	['clean', 1],
	['bit-flips', 2],
	['drops', 2],
	['duplicates', 1],
	['split', 2],
	['mixed', 2],
	['reset', 1.2],
	['abort', 1],
	['invalid-model', 0.5],
	['oversize', 0.3]
];

function pick(rng: Rng, canReset: boolean): Scenario {
	const table = SCENARIOS.filter(([s]) => canReset || s !== 'reset');
	let r = rng() * table.reduce((a, [, w]) => a + w, 0);
	for (const [s, w] of table) if ((r -= w) < 0) return s;
	return 'clean';
}

/** Faults for both directions; "writes split at every size" cycles the split through 1 … 97. */
function faultsFor(s: Scenario, i: number, rng: Rng): { toBoard: LaneFaults; toHost: LaneFaults } {
	const split = (i % 97) + 1;
	switch (s) {
		case 'bit-flips':
			return { toBoard: { byteErrorRate: 1e-3 }, toHost: { byteErrorRate: 1e-3 } };
		case 'drops':
			return { toBoard: { dropFrameRate: 0.05 }, toHost: { dropFrameRate: 0.05 } };
		case 'duplicates':
			return { toBoard: { duplicateFrameRate: 0.1 }, toHost: { duplicateFrameRate: 0.1 } };
		case 'split':
			return { toBoard: { split }, toHost: { split: rng() < 0.5 ? 'random' : split } };
		case 'mixed':
			return {
				toBoard: {
					byteErrorRate: 1e-3,
					dropFrameRate: 0.02,
					duplicateFrameRate: 0.02,
					split: 'random'
				},
				toHost: { byteErrorRate: 1e-3, dropFrameRate: 0.02, duplicateFrameRate: 0.02, split }
			};
		default:
			return { toBoard: {}, toHost: {} };
	}
}

/** A blob whose transfer is clean but whose content the loader must reject (a broken op record). */
function invalidModel(blob: Uint8Array): Uint8Array {
	const bad = blob.slice();
	const v = new DataView(bad.buffer);
	const opsOffset = v.getUint32(28, true);
	v.setUint16(opsOffset, 0xfff0, true); // opcode no board knows
	return bad;
}

export async function runMatrix(
	cfg: ShardConfig,
	log: (line: string) => void = () => {},
	board: MatrixBoard = new HostBoard(cfg.profile, cfg.flash, cfg.seed)
): Promise<MatrixReport> {
	const rng = mulberry32(cfg.seed);
	const known = new Map<number, Known>();
	const remember = (blob: Uint8Array): Known => {
		const crc = crc32(blob);
		let k = known.get(crc);
		if (!k) {
			k = { blob, crc, exec: createExecutor(blob) };
			known.set(crc, k);
		}
		return k;
	};
	const models = cfg.widths.map((w, i) => remember(syntheticBlob(w, cfg.seed * 1000 + i)));
	const report: MatrixReport = {
		uploads: 0,
		committed: 0,
		failedClearly: 0,
		corruptCommits: 0,
		previousModelLost: 0,
		unclearErrors: [],
		resumedAfterReset: 0,
		byScenario: {},
		errorsByKind: {},
		retransmittedBytes: 0
	};
	let session: Session = await board.start();
	/** What the board must run after a reset: the last model committed to flash. */
	let flashModel: ModelInfo | null = null;

	// The model the board runs must be one we know, and must answer as the reference says.
	const same = (a: ModelInfo | null, b: ModelInfo | null) =>
		a === null || b === null ? a === b : a.blobCrc === b.blobCrc && a.blobLen === b.blobLen;
	const checkRunning = async (allowed: (ModelInfo | null)[], label: string): Promise<boolean> => {
		const st = await session.status();
		const m = st.model;
		if (!allowed.some((a) => same(a, m))) {
			const hex = (x: ModelInfo | null) => (x ? x.blobCrc.toString(16) : 'nothing');
			log(`${label}: board runs ${hex(m)}, expected ${allowed.map(hex).join(' or ')}`);
			return false;
		}
		if (m === null) return true;
		const k = known.get(m.blobCrc);
		if (!k) return false;
		const inputs = Uint8Array.from({ length: 4 * k.exec.model.inputBytes }, () =>
			Math.floor(rng() * 256)
		);
		const r = await session.infer(inputs, {
			count: 4,
			inputBytes: k.exec.model.inputBytes,
			outputBytes: k.exec.model.outputBytes
		});
		const want = k.exec.run(inputs, 4);
		return r.outputs.length === want.length && r.outputs.every((b, j) => b === want[j]);
	};

	try {
		let running: ModelInfo | null = session.model;
		for (let i = 0; i < cfg.uploads; i++) {
			const scenario = pick(rng, cfg.flash);
			const stats = (report.byScenario[scenario] ??= { runs: 0, committed: 0, failed: 0 });
			stats.runs++;
			report.uploads++;
			let target = models[Math.floor(rng() * models.length)]!;
			if (running !== null && target.crc === running.blobCrc)
				target = models[(models.indexOf(target) + 1) % models.length]!;
			let blob = target.blob;
			if (scenario === 'invalid-model') blob = invalidModel(blob);
			if (scenario === 'oversize') blob = new Uint8Array(cfg.poolBytes + 1);
			const slot = cfg.flash && (scenario === 'reset' || rng() < 0.4) ? 1 : 0;
			board.faulty.setFaults(faultsFor(scenario, i, rng));
			const controller = new AbortController();
			const cutAt = Math.floor(blob.length * (0.1 + 0.8 * rng()));
			let cut = false;
			let outcome: 'committed' | unknown;
			try {
				const r = await session.upload(blob, {
					slot,
					signal: controller.signal,
					onProgress: (p) => {
						// Only while chunks are still missing, so COMMIT has not been sent yet.
						if (cut || p.acked < cutAt || p.acked >= p.total) return;
						cut = true;
						if (scenario === 'abort') controller.abort();
						if (scenario === 'reset') void board.faulty.reset();
					}
				});
				report.retransmittedBytes += r.retransmittedBytes;
				outcome = 'committed';
			} catch (e) {
				outcome = e;
			}
			board.faulty.setFaults({ toBoard: {}, toHost: {} });
			const expectNew: ModelInfo = {
				blobLen: blob.length,
				blobCrc: crc32(blob),
				arenaBytes: 0,
				slot,
				name: ''
			};
			if (scenario === 'reset' && cut) {
				// The board rebooted mid-upload: it runs its flash model; resume the upload from its offset.
				session = await board.reset();
				const before = session.pending?.nextOffset ?? 0;
				if (!(await checkRunning([flashModel], `#${i} after reset`))) report.previousModelLost++;
				running = flashModel;
				try {
					const r = await session.upload(blob, { slot });
					if (before > 0 && r.resumedFrom === before) report.resumedAfterReset++;
					outcome = 'committed';
				} catch (e) {
					outcome = e;
				}
			}
			if (outcome === 'committed') {
				if (await checkRunning([expectNew], `#${i} ${scenario} committed`)) {
					report.committed++;
					stats.committed++;
					running = session.model;
					if (slot === 1) flashModel = running;
				} else {
					report.corruptCommits++;
				}
				if (scenario === 'invalid-model' || scenario === 'oversize') report.corruptCommits++;
			} else {
				stats.failed++;
				const e = outcome;
				const kind = e instanceof DeviceError ? e.codeName : e instanceof Error ? e.name : typeof e;
				report.errorsByKind[kind] = (report.errorsByKind[kind] ?? 0) + 1;
				const clear =
					e instanceof TinyTwinError && e.message.length >= 20 && /[.!]$/.test(e.message.trim());
				if (clear) report.failedClearly++;
				else report.unclearErrors.push(`#${i} ${scenario}: ${String(e)}`);
				// The previous model must still answer (a pending upload may remain; drop it).
				await session.abort();
				if (!(await checkRunning([running], `#${i} ${scenario} failed`)))
					report.previousModelLost++;
			}
		}
	} finally {
		await board.stop();
	}
	return report;
}
