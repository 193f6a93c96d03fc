// Does a validated blob fit a board? Answered before uploading, from the board's handshake, with
// each problem as a sentence that says by how much. Shared by the dashboard and the CLI.
import { formatBytes } from '../format';
import type { HelloInfo } from '../protocol/messages';
import type { BlobModel } from './blob-reader';
import { OPCODE } from './ir';

const OP_NAMES = new Map(Object.entries(OPCODE).map(([name, code]) => [code, name]));

/** TFLite builtin operator name of an opcode ("op 42" when this client does not know it). */
export function opName(code: number): string {
	return OP_NAMES.get(code) ?? `op ${code}`;
}

/** Problems that make the board reject this model in `slot` (0 RAM, 1 flash); empty when it fits. */
export function fitProblems(model: BlobModel, hello: HelloInfo, slot: number): string[] {
	const problems: string[] = [];
	const blobBytes = model.bytes.length;
	const missing = [...new Set(model.ops.map((o) => o.opcode))].filter(
		(op) => !hello.ops.includes(op)
	);
	if (missing.length > 0) {
		problems.push(
			`The board's firmware does not run ${missing.map(opName).join(', ')}; update the firmware or change the model.`
		);
	}
	if (slot === 1 && !hello.storage.flash) {
		problems.push(`The board "${hello.board}" has no flash slot; upload to RAM instead.`);
	}
	if (slot === 1 && hello.storage.flash && blobBytes > hello.flashBytes) {
		problems.push(
			`The model is ${formatBytes(blobBytes)} but the flash slot holds ${formatBytes(hello.flashBytes)}; it is ${formatBytes(blobBytes - hello.flashBytes)} too large.`
		);
	}
	const ramNeed = model.arenaSize + (slot === 0 ? blobBytes : 0);
	if (ramNeed > hello.poolBytes) {
		problems.push(
			`The model needs ${formatBytes(ramNeed)} of RAM (${slot === 0 ? `${formatBytes(blobBytes)} blob + ` : ''}${formatBytes(model.arenaSize)} arena) but the board has ${formatBytes(hello.poolBytes)}; it is ${formatBytes(ramNeed - hello.poolBytes)} too large.`
		);
	}
	return problems;
}
