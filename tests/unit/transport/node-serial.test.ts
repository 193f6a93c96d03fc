import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TransportError } from '$lib/protocol/errors';
import {
	listSerialPorts,
	NodeSerialTransport,
	scanDevPorts
} from '$lib/transport/node/node-serial';

describe('node serial', () => {
	it('scans device nodes when SerialPort.list() is unavailable', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tt-dev-'));
		for (const n of ['ttyACM0', 'ttyUSB3', 'cu.usbmodem101', 'tty0', 'null'])
			writeFileSync(join(dir, n), '');
		mkdirSync(join(dir, 'pts'));
		expect((await scanDevPorts(dir)).map((p) => p.path)).toEqual([
			`${dir}/cu.usbmodem101`,
			`${dir}/ttyACM0`,
			`${dir}/ttyUSB3`
		]);
		expect(await scanDevPorts(join(dir, 'missing'))).toEqual([]);
		rmSync(dir, { recursive: true });
		expect(Array.isArray(await listSerialPorts())).toBe(true); // never throws, udevadm or not
	});

	it('explains a missing port with a next step', async () => {
		const t = new NodeSerialTransport({ path: '/dev/ttyTINYTWIN-none', baudRate: 115200 });
		expect(t.info).toMatchObject({ kind: 'node-serial', bytesPerSecond: 11520 });
		const e = await t.open().catch((x: unknown) => x);
		expect(e).toBeInstanceOf(TransportError);
		expect((e as TransportError).message).toMatch(
			/There is no serial port \/dev\/ttyTINYTWIN-none\. Check/
		);
		expect(t.isOpen).toBe(false);
		await expect(t.write(Uint8Array.of(0))).rejects.toBeInstanceOf(TransportError);
	});
});
