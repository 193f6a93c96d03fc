// Text renderings of what a board reports, shared by the commands.
import type { HelloInfo, ModelInfo } from '../src/lib/protocol';
import { opName } from '../src/lib/model/fit/fit-check';
import { formatBytes, formatHex32 } from './output';

export function describeModel(m: ModelInfo | null): string {
	if (m === null) return 'none';
	const where = m.slot === 1 ? 'flash' : 'RAM';
	return `"${m.name}" — ${formatBytes(m.blobLen)}, CRC-32 ${formatHex32(m.blobCrc)}, arena ${m.arenaBytes} B, in ${where}`;
}

export function describeHello(h: HelloInfo): string[] {
	const fw = `${h.firmware.major}.${h.firmware.minor}.${h.firmware.patch}`;
	const storage = [
		h.storage.ram ? 'RAM' : null,
		h.storage.flash ? `flash (${formatBytes(h.flashBytes)})` : null
	]
		.filter((s) => s !== null)
		.join(', ');
	const lines = [
		`board:        ${h.board}`,
		`firmware:     ${fw} (protocol ${h.protocol})`,
		`clock:        ${h.cpuHz > 0 ? `${(h.cpuHz / 1e6).toFixed(0)} MHz` : 'unknown'}; timing in ${h.tickHz === 1_000_000 ? 'microseconds' : h.tickHz === 1e9 ? 'nanoseconds' : `${h.tickHz} ticks/s`}`,
		`memory:       ${formatBytes(h.poolBytes)} RAM for models and arena`,
		`storage:      ${storage}`,
		`frames:       up to ${h.maxPayload} bytes, window ${h.window}${h.features?.staged ? '; larger inputs and results are staged' : ''}`,
		`ops:          ${h.ops.map(opName).join(', ')}`,
		`model:        ${describeModel(h.model)}`
	];
	if (h.pending !== null) {
		const p = h.pending;
		lines.push(
			`pending:      upload of ${formatBytes(p.totalLen)} (CRC-32 ${formatHex32(p.blobCrc)}) at ${p.nextOffset} bytes — resumable`
		);
	}
	return lines;
}
