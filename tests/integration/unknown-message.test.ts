// Bad input at the message level against the real host board: a request type the firmware does not
// know and a body of the wrong length get numbered errors whose sentences say what to do, and the
// board keeps working afterwards.
import { afterEach, describe, expect, it } from 'vitest';
import {
	decodeAnswer,
	DeviceError,
	encodeFrame,
	FrameDecoder,
	Session
} from '../../src/lib/protocol';
import { ChildProcessTransport } from '../../src/lib/transport/node';
import { requireHostBoard } from '../conformance/host-board';

let transport: ChildProcessTransport | null = null;
afterEach(async () => {
	await transport?.close();
	transport = null;
});

/** Sends one raw payload and resolves with the first answer the board sends back. */
async function exchange(t: ChildProcessTransport, payload: Uint8Array) {
	const decoder = new FrameDecoder();
	const answer = new Promise<ReturnType<typeof decodeAnswer>>((resolve) => {
		const off = t.onData((chunk) => {
			const [first] = decoder.push(chunk);
			if (first) {
				off();
				resolve(decodeAnswer(first));
			}
		});
	});
	await t.write(encodeFrame(payload));
	return answer;
}

describe('messages the board does not accept', () => {
	it('answers an unknown type and a malformed body with errors, then still shakes hands', async () => {
		requireHostBoard();
		transport = new ChildProcessTransport();
		await transport.open();

		const unknown = await exchange(transport, Uint8Array.of(0x42, 0x34, 0x12));
		expect(unknown.type).toBe('ERROR');
		if (unknown.type !== 'ERROR') return;
		expect(unknown.id).toBe(0x1234);
		const e1 = new DeviceError(unknown.code, unknown.detail, unknown.text);
		expect(e1.codeName).toBe('UNKNOWN_MESSAGE');
		expect(unknown.detail).toBe(0x42);
		expect(e1.message).toMatch(/\.$/);

		// BEGIN with a 3-byte body instead of 10.
		const malformed = await exchange(transport, Uint8Array.of(0x10, 0x01, 0x00, 1, 2, 3));
		expect(malformed.type).toBe('ERROR');
		if (malformed.type !== 'ERROR') return;
		const e2 = new DeviceError(malformed.code, malformed.detail, malformed.text);
		expect(e2.codeName).toBe('MALFORMED');
		expect(malformed.detail).toBe(3);

		const session = await Session.open(transport);
		expect(session.hello.board).toBe('host');
		expect(session.model).toBeNull();
	});
});
