import { describe, expect, it } from 'vitest';
import { decodeAnswer } from '$lib/protocol/answers';
import { ByteWriter } from '$lib/protocol/bytes';
import { ProtocolError } from '$lib/protocol/errors';
import { encodeRequest, MsgType } from '$lib/protocol/messages';
import type { Request } from '$lib/protocol/messages';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const head = (type: number, id = 0x1234) => new ByteWriter().u8(type).u16(id);

describe('encodeRequest', () => {
	const cases: Array<[Request, string]> = [
		[{ type: 'HELLO', clientProtocol: 1 }, '01341201'],
		[{ type: 'STATUS' }, '023412'],
		[
			{ type: 'BEGIN', totalLen: 70312, blobCrc: 0xcbf43926, slot: 1, resume: true },
			'103412' + 'a8120100' + '2639f4cb' + '01' + '01'
		],
		[
			{ type: 'BEGIN', totalLen: 1, blobCrc: 0, slot: 0, resume: false },
			'103412010000000000000000' + '00'
		],
		[
			{ type: 'CHUNK', offset: 0x01020304, data: Uint8Array.of(9, 8) },
			'113412' + '04030201' + '0908'
		],
		[{ type: 'COMMIT', totalLen: 16, blobCrc: 0xdeadbeef }, '123412' + '10000000' + 'efbeadde'],
		[{ type: 'ABORT' }, '133412'],
		[{ type: 'INFER', count: 2, inputs: Uint8Array.of(0xa0, 0x7f) }, '203412' + '0200' + 'a07f'],
		[
			{ type: 'INFER', count: 2, inputs: Uint8Array.of(0xa0, 0x7f), totalTime: true },
			'203412' + '0280' + 'a07f'
		],
		[
			{ type: 'STAGE', totalLen: 300, recordCrc: 0xcbf43926, resume: false },
			'213412' + '2c010000' + '2639f4cb' + '00'
		],
		[
			{ type: 'STAGE', totalLen: 1, recordCrc: 0, resume: true },
			'213412' + '01000000' + '00000000' + '01'
		],
		[
			{ type: 'STAGE_CHUNK', offset: 121, data: Uint8Array.of(1, 2, 3) },
			'223412' + '79000000' + '010203'
		],
		[{ type: 'RUN', totalLen: 300, recordCrc: 0xdeadbeef }, '233412' + '2c010000' + 'efbeadde'],
		[{ type: 'READ', offset: 121, len: 79 }, '243412' + '79000000' + '4f00']
	];
	it.each(cases)('encodes %j', (req, want) => {
		expect(hex(encodeRequest(req, 0x1234))).toBe(want);
	});
});

const hello = (more?: (w: ByteWriter) => void) => {
	const w = head(MsgType.HELLO_OK).u8(1).u8(0).u8(3).u8(7).str('nano33ble');
	w.u32(64_000_000).u32(1_000_000).u16(1024).u8(8).u8(3).u32(200_000).u32(131_072);
	w.u8(3).u16(9).u16(114).u16(6);
	more?.(w);
	return w;
};

describe('decodeAnswer', () => {
	it('decodes HELLO_OK without model or pending upload', () => {
		const a = decodeAnswer(hello((w) => w.u8(0).u8(0)).finish());
		expect(a).toEqual({
			type: 'HELLO_OK',
			id: 0x1234,
			hello: {
				protocol: 1,
				firmware: { major: 0, minor: 3, patch: 7 },
				board: 'nano33ble',
				cpuHz: 64_000_000,
				tickHz: 1_000_000,
				maxPayload: 1024,
				window: 8,
				storage: { ram: true, flash: true },
				poolBytes: 200_000,
				flashBytes: 131_072,
				ops: [9, 114, 6],
				model: null,
				pending: null,
				features: { staged: false, totalTime: false }
			}
		});
	});

	it('decodes HELLO_OK features', () => {
		for (const [bits, staged, totalTime] of [
			[1, true, false],
			[2, false, true],
			[3, true, true]
		] as const) {
			const a = decodeAnswer(hello((w) => w.u8(0).u8(0).u8(bits)).finish());
			if (a.type !== 'HELLO_OK') throw new Error(a.type);
			expect(a.hello.features).toEqual({ staged, totalTime });
		}
	});

	it('decodes INFER_OK with one total time', () => {
		const a = decodeAnswer(head(0xa0).u16(0x8002).u32(900).u8(1).u8(2).finish());
		expect(a).toMatchObject({ type: 'INFER_OK', count: 2, totalTicks: 900 });
		if (a.type === 'INFER_OK') expect(hex(a.results)).toBe('0102');
		const b = decodeAnswer(head(0xa0).u16(1).u32(5).u8(7).finish());
		expect(b).toMatchObject({ type: 'INFER_OK', count: 1, totalTicks: null });
	});

	it('decodes the staged inference answers', () => {
		expect(decodeAnswer(head(0xa1).u32(121).u16(121).u8(2).u32(200).finish())).toEqual({
			type: 'STAGE_OK',
			id: 0x1234,
			nextOffset: 121,
			chunkMax: 121,
			window: 2,
			resultLen: 200
		});
		expect(decodeAnswer(head(0xa2).u32(242).u8(2).finish())).toEqual({
			type: 'STAGE_ACK',
			id: 0x1234,
			nextOffset: 242,
			verdict: 'gap'
		});
		expect(decodeAnswer(head(0xa3).u32(5120).u32(200).u32(0x89abcdef).finish())).toEqual({
			type: 'RUN_OK',
			id: 0x1234,
			ticks: 5120,
			resultLen: 200,
			resultCrc: 0x89abcdef
		});
		const r = decodeAnswer(head(0xa4).u32(121).u8(9).u8(8).finish());
		expect(r).toMatchObject({ type: 'READ_OK', offset: 121 });
		if (r.type === 'READ_OK') expect(hex(r.data)).toBe('0908');
	});

	it('decodes HELLO_OK with model and pending upload, ignoring trailing bytes', () => {
		const w = hello((w) => {
			w.u8(1).u32(2000).u32(0xabcdef01).u32(512).u8(0).str('sine');
			w.u8(1).u32(70312).u32(0x11223344).u32(4096).u8(1);
			w.u32(0xffffffff); // a later minor version's field
		});
		const a = decodeAnswer(w.finish());
		if (a.type !== 'HELLO_OK') throw new Error(a.type);
		expect(a.hello.model).toEqual({
			blobLen: 2000,
			blobCrc: 0xabcdef01,
			arenaBytes: 512,
			slot: 0,
			name: 'sine'
		});
		expect(a.hello.pending).toEqual({
			totalLen: 70312,
			blobCrc: 0x11223344,
			nextOffset: 4096,
			slot: 1
		});
	});

	it('decodes STATUS_OK', () => {
		const w = head(MsgType.STATUS_OK).u32(5000).u32(10).u32(2).u32(99).u8(0).u8(1);
		w.u32(100).u32(7).u32(50).u8(0);
		expect(decodeAnswer(w.finish())).toEqual({
			type: 'STATUS_OK',
			id: 0x1234,
			status: {
				uptimeMs: 5000,
				framesOk: 10,
				badFrames: 2,
				inferences: 99,
				model: null,
				pending: { totalLen: 100, blobCrc: 7, nextOffset: 50, slot: 0 }
			}
		});
	});

	it('decodes the upload answers', () => {
		expect(decodeAnswer(head(0x90).u32(64).u16(1017).u8(8).finish())).toEqual({
			type: 'BEGIN_OK',
			id: 0x1234,
			nextOffset: 64,
			chunkMax: 1017,
			window: 8
		});
		const verdicts = ['accepted', 'duplicate', 'gap'] as const;
		verdicts.forEach((verdict, v) =>
			expect(decodeAnswer(head(0x91).u32(128).u8(v).finish())).toEqual({
				type: 'CHUNK_ACK',
				id: 0x1234,
				nextOffset: 128,
				verdict
			})
		);
		expect(() => decodeAnswer(head(0x91).u32(128).u8(3).finish())).toThrow(ProtocolError);
		expect(decodeAnswer(head(0x92).u32(208).u32(0xcafe).u32(16).u8(1).finish())).toEqual({
			type: 'COMMIT_OK',
			id: 0x1234,
			blobLen: 208,
			blobCrc: 0xcafe,
			arenaBytes: 16,
			slot: 1
		});
		expect(decodeAnswer(head(0x93).u32(77).finish())).toEqual({
			type: 'ABORT_OK',
			id: 0x1234,
			discardedBytes: 77
		});
	});

	it('decodes INFER_OK, BAD_FRAME and ERROR', () => {
		const a = decodeAnswer(head(0xa0).u16(2).u32(5).u8(1).u32(6).u8(2).finish());
		expect(a).toMatchObject({ type: 'INFER_OK', count: 2 });
		if (a.type === 'INFER_OK') expect(hex(a.results)).toBe('050000000106000000' + '02');
		expect(decodeAnswer(head(0xfe, 0xffff).u32(0xffffffff).u32(3).finish())).toEqual({
			type: 'BAD_FRAME',
			id: 0xffff,
			nextOffset: null,
			badFrames: 3
		});
		expect(decodeAnswer(head(0xfe, 0xffff).u32(512).u32(4).finish())).toMatchObject({
			nextOffset: 512
		});
		expect(decodeAnswer(head(0xff).u16(5).u32(61440).str('too large').finish())).toEqual({
			type: 'ERROR',
			id: 0x1234,
			code: 5,
			detail: 61440,
			text: 'too large'
		});
	});

	it('rejects short bodies of every answer type with ProtocolError("short-body")', () => {
		const full = [
			hello((w) =>
				w.u8(1).u32(1).u32(2).u32(3).u8(0).str('m').u8(1).u32(1).u32(2).u32(3).u8(0)
			).finish(),
			head(0x82).u32(1).u32(2).u32(3).u32(4).u8(0).u8(0).finish(),
			head(0x90).u32(0).u16(1).u8(1).finish(),
			head(0x91).u32(0).u8(0).finish(),
			head(0x92).u32(1).u32(2).u32(3).u8(0).finish(),
			head(0x93).u32(0).finish(),
			head(0xa0).u16(0).finish(),
			head(0xa0).u16(0x8000).u32(0).finish(),
			head(0xa1).u32(0).u16(1).u8(1).u32(1).finish(),
			head(0xa2).u32(0).u8(0).finish(),
			head(0xa3).u32(1).u32(2).u32(3).finish(),
			head(0xa4).u32(0).finish(),
			head(0xfe).u32(0).u32(0).finish(),
			head(0xff).u16(1).u32(0).str('x').finish()
		];
		for (const p of full) {
			expect(() => decodeAnswer(p)).not.toThrow();
			for (let n = 0; n < p.length; n++) {
				const e = (() => {
					try {
						decodeAnswer(p.subarray(0, n));
					} catch (err) {
						return err;
					}
				})();
				expect(e, `type 0x${p[0]!.toString(16)} cut at ${n}`).toBeInstanceOf(ProtocolError);
				expect((e as ProtocolError).reason).toBe('short-body');
			}
		}
	});

	it('rejects unknown and request types', () => {
		for (const t of [0x00, 0x01, 0x11, 0x85, 0xfd]) {
			expect(() => decodeAnswer(head(t).finish())).toThrow(/unknown type/);
		}
	});
});
