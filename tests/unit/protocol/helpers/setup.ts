// Wires a Session to a FakeBoard over a memory pair (optionally through fault injection).
import { Session } from '$lib/protocol/session';
import type { SessionOptions } from '$lib/protocol/session';
import { FaultyTransport } from '$lib/transport/faults';
import type { FaultOptions } from '$lib/transport/faults';
import { createMemoryPair } from '$lib/transport/memory-pair';
import { FakeBoard } from './fake-board';
import type { FakeBoardOptions } from './fake-board';

export async function connect(
	board: FakeBoardOptions = {},
	session: SessionOptions = {},
	faults?: FaultOptions
) {
	const [host, dev] = createMemoryPair();
	const fake = await FakeBoard.attach(dev, board);
	const line = faults ? new FaultyTransport(host, faults) : host;
	const s = await Session.open(line, {
		latencyMs: 30,
		commitMs: 50,
		timeoutMs: 300,
		firstId: 1,
		...session
	});
	return { s, fake, host, dev, line };
}

export function testBlob(n: number, seed = 1): Uint8Array {
	let x = seed;
	return Uint8Array.from({ length: n }, () => {
		x = (x * 1103515245 + 12345) >>> 0;
		return x >>> 24;
	});
}

export const CHUNK = 0x11;
export const COMMIT = 0x12;
export const INFER = 0x20;
export const ABORT = 0x13;
