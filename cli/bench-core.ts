// Measurements behind `tinytwin bench` and bench/run.ts. Efficiency is always against the line:
// payload bytes/s ÷ line bytes/s, with a UART line carrying baud/10 bytes/s (8N1).
import { sineModel, sineSweep } from '../src/lib/demos/sine/sine';
import type { Session } from '../src/lib/protocol';
import { syntheticBlobNear } from './synthetic-model';

export interface UploadMeasurement {
	blobBytes: number;
	seconds: number;
	/** Payload bytes per second. */
	bytesPerSecond: number;
	/** bytesPerSecond ÷ (lineRate / 10); null when unthrottled. */
	efficiency: number | null;
	retransmittedBytes: number;
}

export const BENCH_BLOB_BYTES = 64 * 1024;

let benchBlob: Uint8Array | undefined;
/** The benchmark's ~64 KiB valid model (the widest synthetic MLP that fits in 64 KiB). */
export function benchUploadBlob(): Uint8Array {
	benchBlob ??= syntheticBlobNear(BENCH_BLOB_BYTES, 64);
	return benchBlob;
}

/** One full upload (BEGIN … COMMIT_OK), timed from the first request to the board's verdict. */
export async function measureUpload(
	session: Session,
	blob: Uint8Array,
	lineRate: number,
	signal?: AbortSignal
): Promise<UploadMeasurement> {
	const started = performance.now();
	const r = await session.upload(blob, { slot: 0, resume: false, signal });
	const seconds = (performance.now() - started) / 1000;
	const bytesPerSecond = blob.length / seconds;
	return {
		blobBytes: blob.length,
		seconds,
		bytesPerSecond,
		efficiency: lineRate > 0 ? bytesPerSecond / (lineRate / 10) : null,
		retransmittedBytes: r.retransmittedBytes
	};
}

export interface SweepMeasurement {
	points: number;
	seconds: number;
	pointsPerSecond: number;
	/**
	 * The wire floor: time the sweep's data needs on a full-duplex line with no framing, no headers and
	 * no waiting — max(input bytes sent, result bytes returned) ÷ line bytes/s, where a result is the
	 * output plus the board's 4-byte time of that inference (with `totalTime`, the output alone).
	 * null when unthrottled.
	 */
	floorSeconds: number | null;
	/** floorSeconds ÷ seconds: the fraction of the floor's rate reached. */
	ofFloor: number | null;
	/** The same against a floor that counts the outputs alone (no per-inference times). */
	ofOutputsOnlyFloor: number | null;
	microsMedian: number;
}

/** Uploads the sine model if needed, then times an `points`-point sweep. */
export async function measureSweep(
	session: Session,
	points: number,
	lineRate: number,
	signal?: AbortSignal,
	/** One board time per INFER batch instead of one per inference (protocol §7.1). */
	totalTime = false
): Promise<SweepMeasurement> {
	const bundle = sineModel();
	const m = session.model;
	if (m === null || m.blobLen !== bundle.blob.length)
		await session.upload(bundle.blob, { slot: 0, signal });
	const inputs = Uint8Array.from(Int8Array.from(sineSweep(points).map(bundle.quantizeInput)));
	const started = performance.now();
	const r = await session.infer(inputs, {
		count: points,
		inputBytes: 1,
		outputBytes: 1,
		signal,
		totalTime
	});
	const perRecord = r.ticks.length === points;
	const seconds = (performance.now() - started) / 1000;
	const lineBytesPerSecond = lineRate / 10;
	const floorSeconds =
		lineRate > 0
			? Math.max(points * 1, points * ((perRecord ? 4 : 0) + 1)) / lineBytesPerSecond
			: null;
	const outputsOnly = lineRate > 0 ? points / lineBytesPerSecond : null;
	const ticks = Array.from(r.ticks).sort((a, b) => a - b);
	return {
		points,
		seconds,
		pointsPerSecond: points / seconds,
		floorSeconds,
		ofFloor: floorSeconds === null ? null : floorSeconds / seconds,
		ofOutputsOnlyFloor: outputsOnly === null ? null : outputsOnly / seconds,
		// Without per-record times: the mean over the sweep.
		microsMedian:
			((perRecord ? (ticks[Math.floor(ticks.length / 2)] ?? 0) : r.totalTicks / points) * 1e6) /
			session.hello.tickHz
	};
}

export function median(values: readonly number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
