// Console text: the bytes a board sends outside frames, as lines (docs/protocol.md §1.1). The frame
// decoder must decode exactly what it decodes without the tap, whatever the text around the frames.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleLog, ConsoleText } from '$lib/protocol/console-text';
import type { ConsoleLine } from '$lib/protocol/console-text';
import { encodeFrame, FrameDecoder } from '$lib/protocol/framing';
import { seededRng } from '$lib/transport/rng';
import { connect } from './helpers/setup';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const concat = (...parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
};
/** An answer-like payload: type ≥ 0x80, an id, then `n` seeded bytes. */
const answer = (n: number, seed: number, type = 0xa0) => {
	const rng = seededRng(seed);
	return Uint8Array.from([
		type,
		seed & 0xff,
		0x12,
		...Array.from({ length: n }, () => rng.int(256))
	]);
};

function setup(opts: { maxLines?: number; maxLineBytes?: number; idleMs?: number } = {}) {
	let t = 1_000;
	const log = new ConsoleLog({ ...opts, now: () => t++ });
	const decoder = new FrameDecoder(1024);
	const tap = new ConsoleText(decoder, log, { idleMs: opts.idleMs ?? -1 });
	const frames: Uint8Array[] = [];
	const feed = (...chunks: Uint8Array[]) => {
		for (const c of chunks) frames.push(...decoder.push(c));
	};
	const texts = () => log.snapshot().lines.map((l) => l.text);
	return { log, decoder, tap, frames, feed, texts };
}

/** `wire` cut into pieces of 1 … `max` bytes. */
function splitRandomly(wire: Uint8Array, seed: number, max = 40): Uint8Array[] {
	const rng = seededRng(seed);
	const out: Uint8Array[] = [];
	for (let at = 0; at < wire.length;) {
		const n = 1 + rng.int(max);
		out.push(wire.slice(at, at + n));
		at += n;
	}
	return out;
}

afterEach(() => {
	vi.useRealTimers();
});

describe('ConsoleText: bytes outside frames', () => {
	const f1 = answer(20, 1, 0x81);
	const f2 = answer(300, 2);
	const f3 = answer(5, 3, 0xfe);
	const wire = concat(
		bytes('TinyTwin boot 0.1\r\n'),
		bytes('  flash: 256 KiB, ram 64 KiB\r\n\0'),
		encodeFrame(f1),
		bytes('debug: x=3 y=°C\n\0'),
		encodeFrame(f2),
		encodeFrame(f3),
		bytes('tail without newline')
	);
	const wantText = [
		'TinyTwin boot 0.1',
		'  flash: 256 KiB, ram 64 KiB',
		'debug: x=3 y=°C',
		'tail without newline'
	];

	it('reports the text between frames as lines and still decodes every frame', () => {
		const { frames, feed, texts, log, decoder } = setup();
		feed(wire);
		expect(frames).toEqual([f1, f2, f3]);
		// Text ended by a 0x00 is a bad frame to the decoder, as always.
		expect(decoder.stats.bad).toBe(2);
		expect(texts()).toEqual(wantText);
		const lines = log.snapshot().lines;
		expect(lines.map((l) => l.open)).toEqual([false, false, false, true]);
		expect(lines.every((l) => l.kind === 'text' && !l.binary && l.cutBytes === 0)).toBe(true);
		expect(lines[0]!.n).toBe(1);
		expect(lines[0]!.time).toBeLessThan(lines[3]!.time);
	});

	it('gives the same lines and frames however the reads split the bytes (fuzz)', () => {
		for (let seed = 1; seed <= 200; seed++) {
			const { frames, feed, texts } = setup();
			feed(...splitRandomly(wire, seed, 1 + (seed % 50)));
			expect(frames).toEqual([f1, f2, f3]);
			expect(texts()).toEqual(wantText);
		}
		const { frames, feed, texts } = setup();
		for (const b of wire) feed(Uint8Array.of(b));
		expect(frames).toEqual([f1, f2, f3]);
		expect(texts()).toEqual(wantText);
	});

	it('does not change what the decoder decodes, on random mixes of frames, text and garbage', () => {
		for (let seed = 1; seed <= 100; seed++) {
			const rng = seededRng(seed);
			const parts: Uint8Array[] = [];
			for (let k = 0; k < 20; k++) {
				const r = rng.int(4);
				if (r === 0)
					parts.push(encodeFrame(answer(rng.int(200), rng.int(1000), 0x80 + rng.int(0x80))));
				else if (r === 1) parts.push(bytes(`line ${k} ü\r\n`));
				else if (r === 2) parts.push(Uint8Array.from({ length: rng.int(80) }, () => rng.int(256)));
				else parts.push(Uint8Array.of(0));
			}
			const all = concat(...parts);
			const plain = new FrameDecoder(1024);
			const want = plain.push(all);
			const { frames, feed, decoder, log } = setup({ maxLines: 50 });
			expect(() => feed(...splitRandomly(all, seed))).not.toThrow();
			expect(frames).toEqual(want);
			expect(decoder.stats).toEqual(plain.stats);
			// And the lines do not depend on how the reads split the bytes.
			const whole = setup({ maxLines: 50 });
			whole.feed(all);
			const view = (l: ConsoleLine) => [l.kind, l.text, l.bytes, l.binary];
			expect(log.snapshot().lines.map(view)).toEqual(whole.log.snapshot().lines.map(view));
		}
	});

	it('shows exactly the text of a board that ends its prints with 0x00, never a frame (fuzz)', () => {
		const words = ['boot', 'ok', '°C', 'ü', '✓', 'x=1', '>', '', '  ', 'Ωmega', 'tick 42'];
		for (let seed = 1; seed <= 150; seed++) {
			const rng = seededRng(seed);
			const parts: Uint8Array[] = [];
			const wantFrames: Uint8Array[] = [];
			const wantLines: string[] = [];
			for (let k = 0; k < 15; k++) {
				if (rng.int(2) === 0) {
					const f = answer(rng.int(300), rng.int(5000), 0x80 + rng.int(0x80));
					wantFrames.push(f);
					parts.push(encodeFrame(f));
				} else {
					const lines = Array.from({ length: 1 + rng.int(3) }, () =>
						Array.from({ length: 1 + rng.int(4) }, () => words[rng.int(words.length)]).join(' ')
					);
					wantLines.push(...lines);
					parts.push(bytes(lines.map((l) => l + '\r\n').join('') + '\0'));
				}
			}
			const { frames, feed, texts } = setup();
			feed(...splitRandomly(concat(...parts), seed, 1 + (seed % 64)));
			expect(frames).toEqual(wantFrames);
			expect(texts()).toEqual(wantLines);
		}
	});

	it('joins a line split across reads, inside CR LF and inside a UTF-8 character', () => {
		const { feed, texts, log } = setup();
		const b = bytes('temp 21.5 °C\r\nnext ✓ done\r\n');
		const cuts = [
			3,
			b.indexOf(0xb0) /* inside ° */,
			b.indexOf(0x0d) + 1 /* between CR and LF */,
			b.length - 3
		];
		let at = 0;
		for (const c of [...cuts, b.length]) {
			feed(b.subarray(at, c));
			// An open line never shows half a character.
			expect(log.snapshot().lines.every((l) => !l.text.includes('\ufffd'))).toBe(true);
			at = c;
		}
		expect(texts()).toEqual(['temp 21.5 °C', 'next ✓ done']);
	});

	it('shows a 0x00 inside text as ␀ and keeps the line together', () => {
		const { feed, texts, frames } = setup();
		feed(bytes('abc\0def\n'), bytes('x\0'), bytes('\0y\r\n'));
		expect(texts()).toEqual(['abc␀def', 'x␀y']);
		expect(frames).toEqual([]);
	});

	it('ends a partial line when a frame arrives', () => {
		const { feed, texts, log } = setup();
		const f = answer(10, 7);
		feed(bytes('Loading model'));
		expect(log.snapshot().lines[0]).toMatchObject({ text: 'Loading model', open: true });
		feed(bytes('\0'), encodeFrame(f), bytes(' done\n'));
		expect(texts()).toEqual(['Loading model', ' done']);
		expect(log.snapshot().lines[0]!.open).toBe(false);
	});

	it('holds bytes that may start a frame until the 0x00 decides, or until the line goes quiet', () => {
		vi.useFakeTimers();
		const { feed, texts, frames } = setup({ idleMs: 1000 });
		const f = encodeFrame(answer(50, 9));
		feed(f.subarray(0, 20));
		vi.advanceTimersByTime(100);
		feed(f.subarray(20));
		expect(frames).toHaveLength(1);
		vi.advanceTimersByTime(1000);
		expect(texts()).toEqual([]);
		// One byte could be a frame's first: it shows once the line is quiet.
		feed(bytes('.'));
		expect(texts()).toEqual([]);
		vi.advanceTimersByTime(999);
		expect(texts()).toEqual([]);
		vi.advanceTimersByTime(1);
		expect(texts()).toEqual(['.']);
		feed(bytes('.'), bytes('.\n'));
		expect(texts()).toEqual(['...']);
		// A frame that stalls for less than idleMs in the middle is never shown.
		const g = encodeFrame(answer(80, 10));
		feed(Uint8Array.of(0), g.subarray(0, 1));
		vi.advanceTimersByTime(900);
		feed(g.subarray(1, 30));
		vi.advanceTimersByTime(900);
		feed(g.subarray(30));
		expect(frames).toHaveLength(2);
		expect(texts()).toEqual(['...']);
		// A line that starts like a frame (°: C2 B0) shows after idleMs, and goes on as text.
		feed(bytes('°C outside'));
		expect(texts()).toEqual(['...']);
		vi.advanceTimersByTime(1000);
		expect(texts()).toEqual(['...', '°C outside']);
		feed(bytes(', 21 inside\n'));
		expect(texts()).toEqual(['...', '°C outside, 21 inside']);
	});

	it('shows binary garbage as replacement characters, control pictures and hex, never crashing', () => {
		const { feed, log, frames } = setup();
		const rng = seededRng(42);
		const garbage = Uint8Array.from({ length: 5000 }, () => rng.int(256));
		const f = answer(30, 5);
		expect(() =>
			feed(...splitRandomly(garbage, 3), Uint8Array.of(0), encodeFrame(f))
		).not.toThrow();
		expect(frames).toEqual([f]);
		const lines = log.snapshot().lines;
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.some((l) => l.binary && /[\ufffd\u2400-\u241f]/.test(l.text))).toBe(true);
		for (const l of lines.filter((x) => x.binary))
			expect(l.hex).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2})*( …)?$/);
		const plain = log.snapshot().lines.find((l) => !l.binary);
		expect(plain?.hex).toBeUndefined();
	});

	it('drops ANSI colour sequences (an ESP32 boot log) instead of calling the line binary', () => {
		const { feed, log } = setup();
		feed(bytes('\x1b[0;32mI (312) cpu_start: Pro cpu up.\x1b[0m\r\n'), bytes('esc \x1b alone\n'));
		const [a, b] = log.snapshot().lines;
		expect(a).toMatchObject({ text: 'I (312) cpu_start: Pro cpu up.', binary: false });
		expect(a!.hex).toBeUndefined();
		expect(b).toMatchObject({ text: 'esc ␛ alone', binary: true });
	});

	it('shows a damaged frame (bad CRC) as binary text', () => {
		const { feed, log, frames, decoder } = setup();
		const bad = encodeFrame(answer(12, 4));
		bad[5]! ^= 0x40;
		feed(bad);
		expect(frames).toEqual([]);
		expect(decoder.stats.byReason.crc).toBe(1);
		const lines = log.snapshot().lines;
		expect(lines).toHaveLength(1);
		expect(lines[0]!.binary).toBe(true);
	});

	it('explains a frame glued to text without a 0x00 between them (the frame is lost)', () => {
		const { feed, log, frames, decoder } = setup();
		const f = answer(40, 11, 0x82);
		feed(bytes('debug: tick\r\n'), encodeFrame(f), encodeFrame(f));
		expect(frames).toEqual([f]); // the glued copy is a bad frame, as without the tap
		expect(decoder.stats.bad).toBe(1);
		const lines = log.snapshot().lines;
		expect(lines.map((l) => l.kind)).toEqual(['text', 'note']);
		expect(lines[0]!.text).toBe('debug: tick');
		expect(lines[1]!.text).toMatch(/^A frame of \d+ bytes followed this text with no 0x00 byte/);
	});

	it('finds a glued frame after a line that itself looked like a frame start (°: C2 B0)', () => {
		const { feed, log, frames } = setup();
		const f = answer(25, 12, 0x91);
		feed(bytes('°C 21.5\r\n'), encodeFrame(f));
		expect(frames).toEqual([]);
		const lines = log.snapshot().lines;
		expect(lines.map((l) => [l.kind, l.kind === 'text' ? l.text : ''])).toEqual([
			['text', '°C 21.5'],
			['note', '']
		]);
		const n = encodeFrame(f).length - 1;
		expect(lines[1]!.text).toContain(`A frame of ${n} bytes`);
	});

	it('finds a glued frame after a one-character line', () => {
		const { feed, log } = setup();
		feed(bytes('>\n'), encodeFrame(answer(9, 13, 0x82)));
		expect(log.snapshot().lines.map((l) => l.kind)).toEqual(['text', 'note']);
	});

	it('caps a long line at maxLineBytes and counts what it cut', () => {
		const { feed, log } = setup({ maxLineBytes: 4096 });
		feed(bytes('x'.repeat(10_000) + '\n'), bytes('é'.repeat(3000) + '\n'));
		const [a, b] = log.snapshot().lines;
		expect(a).toMatchObject({ bytes: 10_000, cutBytes: 10_000 - 4096 });
		expect(a!.text).toHaveLength(4096);
		// 2-byte characters: the cap falls between two of them (4096 is even), no half character.
		expect(b).toMatchObject({ bytes: 6000, cutBytes: 6000 - 4096, binary: false });
		expect(b!.text).toBe('é'.repeat(2048));
		const { feed: feed2, log: log2 } = setup({ maxLineBytes: 5 });
		feed2(bytes('ab°°\n'));
		expect(log2.snapshot().lines[0]).toMatchObject({ text: 'ab°', cutBytes: 2, binary: false });
	});

	it('keeps the last maxLines lines and counts the dropped ones', () => {
		const { feed, log } = setup({ maxLines: 500 });
		for (let i = 1; i <= 620; i++) feed(bytes(`line ${i}\n`));
		feed(bytes('open'));
		const snap = log.snapshot();
		expect(snap.lines).toHaveLength(500);
		expect(snap.dropped).toBe(121);
		expect(snap.lines[0]!.text).toBe('line 122');
		expect(snap.lines[0]!.n).toBe(122);
		expect(snap.lines.at(-1)!.text).toBe('open');
		expect(snap.textLinesThisConnection).toBe(621);
	});
});

describe('ConsoleLog', () => {
	it('splits on LF, CR LF and a lone CR, keeping empty lines', () => {
		const log = new ConsoleLog();
		log.text(bytes('a\nb\r\nc\rd\n\n\r\ne'));
		expect(log.snapshot().lines.map((l) => l.text)).toEqual(['a', 'b', 'c', 'd', '', '', 'e']);
	});

	it('marks connections, notes, clears, and tells subscribers', () => {
		const log = new ConsoleLog();
		const seen = vi.fn();
		const off = log.onChange(seen);
		log.text(bytes('old\n'));
		log.connection('Connected to the board.');
		log.text(bytes('new'));
		let snap = log.snapshot();
		expect(snap.lines.map((l) => l.kind)).toEqual(['text', 'connection', 'text']);
		expect(snap.textLinesThisConnection).toBe(1);
		log.clear();
		snap = log.snapshot();
		expect(snap.lines).toEqual([]);
		expect(snap.dropped).toBe(0);
		expect(seen).toHaveBeenCalledTimes(4);
		off();
		log.text(bytes('x'));
		expect(seen).toHaveBeenCalledTimes(4);
	});

	it('refuses sizes it cannot work with, in a sentence', () => {
		expect(() => new ConsoleLog({ maxLines: 0 })).toThrow(/at least 1 line/);
		expect(() => new ConsoleLog({ maxLineBytes: 2 })).toThrow(/at least 4 bytes/);
	});
});

describe('Session with a console log', () => {
	it('shows what the board prints between frames and keeps answering', async () => {
		const log = new ConsoleLog();
		const { s, dev } = await connect({}, { console: log });
		await dev.write(bytes('boot: TinyTwin test board\r\n\0'));
		const st = await s.status();
		expect(st.framesOk).toBeGreaterThan(0);
		await dev.write(bytes('debug: between frames\r\n\0'));
		await s.status();
		const text = log
			.snapshot()
			.lines.filter((l: ConsoleLine) => l.kind === 'text')
			.map((l) => l.text);
		expect(text).toEqual(['boot: TinyTwin test board', 'debug: between frames']);
		await s.close();
	});
});
