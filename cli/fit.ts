// Does a validated blob fit the connected board? Answers before uploading, with the reason.
import type { BlobModel } from '../src/lib/model/blob-reader';
import type { HelloInfo } from '../src/lib/protocol';
import { opName } from './describe-board';
import { formatBytes } from './output';

/** Problems that make the board reject this model, as sentences (empty when it fits). */
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
		problems.push(
			`The board "${hello.board}" has no flash slot; upload to RAM (--slot ram) instead.`
		);
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
