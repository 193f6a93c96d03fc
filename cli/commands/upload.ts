// tinytwin upload <file>: validate, check fit, upload with progress, report the board's verdict.
import { connect, deviceChoice } from '../device';
import { loadModelInput } from '../model-file';
import { CliError, UsageError } from '../errors';
import { fitProblems } from '../../src/lib/model/fit/fit-check';
import { flag, parse, stringOption } from '../options';
import type { Output } from '../output';
import { formatBytes, formatHex32 } from '../output';
import { crc32 } from '../../src/lib/protocol';
import type { Session, UploadProgress } from '../../src/lib/protocol';

export function slotOption(value: string | undefined): number {
	if (value === undefined || value === 'ram') return 0;
	if (value === 'flash') return 1;
	throw new UsageError(`--slot must be "ram" or "flash", not "${value}".`);
}

export function progressLine(p: UploadProgress): string {
	const pct = p.total === 0 ? 100 : Math.floor((100 * p.acked) / p.total);
	const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
	const eta = Number.isFinite(p.etaSeconds) ? `${p.etaSeconds.toFixed(1)} s left` : '';
	return `upload [${bar}] ${pct}% ${formatBytes(p.acked)}/${formatBytes(p.total)} ${formatBytes(Math.round(p.bytesPerSecond))}/s ${eta}`;
}

/** Uploads `bytes` unless the board already runs exactly this blob. */
export async function uploadIfNeeded(
	session: Session,
	bytes: Uint8Array,
	slot: number,
	out: Output,
	signal: AbortSignal,
	force = false
) {
	const crc = crc32(bytes);
	const m = session.model;
	if (!force && m !== null && m.blobCrc === crc && m.blobLen === bytes.length && m.slot === slot) {
		return {
			skipped: true as const,
			blobLen: m.blobLen,
			blobCrc: m.blobCrc,
			arenaBytes: m.arenaBytes,
			slot
		};
	}
	const started = performance.now();
	const result = await session.upload(bytes, {
		slot,
		signal,
		onProgress: (p) => out.progress(progressLine(p))
	});
	out.progressDone();
	return { skipped: false as const, seconds: (performance.now() - started) / 1000, ...result };
}

export async function uploadCommand(
	args: string[],
	out: Output,
	signal: AbortSignal
): Promise<void> {
	const p = parse(args, { slot: { type: 'string' }, force: { type: 'boolean' } });
	const path = p.positionals[0];
	if (path === undefined)
		throw new UsageError(
			'Which file? Usage: tinytwin upload <model.ttm|model.tflite> [--board host | --port PATH].'
		);
	const slot = slotOption(stringOption(p, 'slot'));
	const { model } = await loadModelInput(path);
	const dev = await connect(deviceChoice(p), out, signal);
	try {
		const problems = fitProblems(model, dev.session.hello, slot);
		if (problems.length > 0)
			throw new CliError(
				`"${model.name}" does not fit this board, so nothing was sent. ${problems.join(' ')}`
			);
		const r = await uploadIfNeeded(dev.session, model.bytes, slot, out, signal, flag(p, 'force'));
		out.result({ model: model.name, ...r }, () => [
			r.skipped
				? `The board already runs "${model.name}" (${formatBytes(r.blobLen)}, CRC-32 ${formatHex32(r.blobCrc)}); nothing to upload.`
				: `Accepted: "${model.name}", ${formatBytes(r.blobLen)}, CRC-32 ${formatHex32(r.blobCrc)} verified by the board, arena ${r.arenaBytes} B, in ${r.slot === 1 ? 'flash' : 'RAM'}; ${r.seconds.toFixed(2)} s${r.resumedFrom > 0 ? `, resumed at ${r.resumedFrom} bytes` : ''}${r.retransmittedBytes > 0 ? `, ${r.retransmittedBytes} bytes sent again` : ''}.`
		]);
	} finally {
		await dev.close();
	}
}
