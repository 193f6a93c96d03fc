// tinytwin qa and tinytwin eval qa as a user runs them, on the real host board. The expectations
// come from outside the code under test: SQuAD v1.1's official EM/F1 rules written out here (after
// evaluate-v1.1.py) applied to the answers the command reports; a small SQuAD-format file of our
// own text whose windows are counted by hand; the host board is the real firmware and the int8
// expectation the TS executor (proven byte-equal to TFLM elsewhere), so they must agree everywhere.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinytwin } from './tinytwin';
import { requireHostBoard } from '../conformance/host-board';
import { chooseQuestions } from '../../cli/commands/eval';
import { HELD_OUT_ARTICLES } from '../../src/lib/qa/split';

const SQUAD_DEV = '../shared/data/squad/dev-v1.1.json';
const dir = mkdtempSync(join(tmpdir(), 'tt-cli-qa-'));

// --- SQuAD v1.1's official rules (evaluate-v1.1.py), written out independently --------------------
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
const normalize = (s: string) =>
	[...s.toLowerCase()]
		.filter((c) => !PUNCTUATION.has(c))
		.join('')
		.replace(/\b(a|an|the)\b/g, ' ')
		.split(/\s+/)
		.filter((w) => w !== '')
		.join(' ');
const exact = (p: string, g: string) => (normalize(p) === normalize(g) ? 1 : 0);
function f1(p: string, g: string): number {
	const pt = normalize(p).split(' ').filter(Boolean);
	const gt = normalize(g).split(' ').filter(Boolean);
	const left = new Map<string, number>();
	for (const t of gt) left.set(t, (left.get(t) ?? 0) + 1);
	let same = 0;
	for (const t of pt) {
		const n = left.get(t) ?? 0;
		if (n > 0) {
			same++;
			left.set(t, n - 1);
		}
	}
	if (same === 0) return 0;
	const precision = same / pt.length;
	const recall = same / gt.length;
	return (2 * precision * recall) / (precision + recall);
}
const best = (m: (p: string, g: string) => number, p: string, gs: string[]) =>
	Math.max(...gs.map((g) => m(p, g)));

/** Official EM/F1 (percent) of `predictions` (id → text) over the questions with answers. */
function officialScores(predictions: Map<string, string>, accepted: Map<string, string[]>) {
	let n = 0;
	let em = 0;
	let f = 0;
	for (const [id, answers] of accepted) {
		if (answers.length === 0) continue;
		n++;
		em += best(exact, predictions.get(id)!, answers);
		f += best(f1, predictions.get(id)!, answers);
	}
	return { questions: n, exactMatch: (100 * em) / n, f1: (100 * f) / n };
}

// --- A SQuAD-format file of our own text ---------------------------------------------------------
const BAKERY =
	'Mara Lindqvist founded the Harbour Lantern Bakery in 1972 on Kestrel Street. The bakery is famous for its cardamom buns, which are baked every morning at five. In 1990 her son Tomas opened a second shop in the old railway station.';
const LIGHTHOUSE =
	'The Greywater lighthouse stands on a granite ledge at the mouth of the Orle estuary. It was designed by the engineer Hilda Brannock and first lit in 1864. The tower is forty two metres tall and its lamp can be seen from twenty nautical miles away. For most of its history the light was kept by the Pell family, who lived in a small cottage beside the tower. Every evening the keeper climbed one hundred and sixty steps to wind the clockwork that turned the lens. In 1931 the clockwork was replaced by an electric motor, and in 1978 the station was automated. The cottage is now a museum that displays the original brass lens, the logbooks of the keepers and a model of the ledge. Visitors can reach the lighthouse by a ferry that leaves the harbour of Saltmere twice a day in summer. The crossing takes about forty minutes, and seals are often seen on the rocks near the landing stage. In winter the ferry does not run, and the museum opens only on the first Sunday of each month.';

/** Tokens of plain ASCII text of words, digits, full stops and commas: each word and mark is one. */
const tokenCount = (text: string) => text.match(/[A-Za-z0-9]+|[.,]/g)!.length;
/** Windows of 128 tokens, stride 64, the last one ending at the passage's end (docs/qa.md). */
const windowCount = (n: number) => (n <= 128 ? 1 : 1 + Math.ceil((n - 128) / 64));

const OWN: { context: string; qas: [string, string, string[]][] }[] = [
	{
		context: BAKERY,
		qas: [
			['b1', 'Who founded the Harbour Lantern Bakery?', ['Mara Lindqvist']],
			['b2', 'When did Tomas open a second shop?', ['1990', 'In 1990']],
			['b3', 'What is the bakery famous for?', ['its cardamom buns', 'cardamom buns']]
		]
	},
	{
		context: LIGHTHOUSE,
		qas: [
			['l1', 'Who designed the Greywater lighthouse?', ['Hilda Brannock']],
			['l2', 'In which year was the station automated?', ['1978', 'in 1978']],
			['l3', 'Where does the ferry leave from?', ['the harbour of Saltmere', 'Saltmere']],
			// No accepted answer: counts toward agreement, not toward EM/F1.
			['l4', 'What was the name of the keeper dog?', []]
		]
	}
];

function ownSquadFile(): { path: string; accepted: Map<string, string[]> } {
	const accepted = new Map<string, string[]>();
	const json = {
		version: '1.1',
		data: [
			{
				title: 'Test_passages',
				paragraphs: OWN.map(({ context, qas }) => ({
					context,
					qas: qas.map(([id, question, answers]) => {
						accepted.set(id, answers);
						return {
							id,
							question,
							answers: answers.map((text) => ({ text, answer_start: context.indexOf(text) }))
						};
					})
				}))
			}
		]
	};
	const path = join(dir, 'own-squad.json');
	writeFileSync(path, JSON.stringify(json));
	return { path, accepted };
}

interface Prediction {
	id: string;
	board: string;
	int8: string;
	float: string;
	bitExact: boolean;
}

describe('tinytwin qa / eval qa', () => {
	beforeAll(requireHostBoard);

	it('the official rules as written here give the hand-derived figures', () => {
		expect(exact('The Harbour of Saltmere.', 'the harbour of Saltmere')).toBe(1);
		// {harbour, of, saltmere, twice} vs {harbour, of, saltmere}: P = 3/4, R = 1, F1 = 6/7.
		expect(f1('harbour of Saltmere twice', 'the harbour of Saltmere')).toBeCloseTo(6 / 7, 12);
		// "in 1990" vs "1990": P = 1/2, R = 1, F1 = 2/3; the best over the accepted answers is 1.
		expect(f1('in 1990', '1990')).toBeCloseTo(2 / 3, 12);
		expect(best(f1, 'in 1990', ['1990', 'In 1990'])).toBe(1);
		expect(f1('Kestrel Street', 'cardamom buns')).toBe(0);
		// 11 tokens once "a" and "the" go, 2 of them ("in", "1990") in the answer: P = 2/11, R = 1,
		// F1 = 2·(2/11)/(13/11) = 4/13.
		expect(
			f1('1990 her son Tomas opened a second shop in the old railway station', 'In 1990')
		).toBeCloseTo(4 / 13, 12);
	});

	it('eval qa --data: every question of a SQuAD-format file; EM/F1 are the official rules on the reported answers, board = int8 byte for byte', async () => {
		const { path, accepted } = ownSquadFile();
		const r = await tinytwin('eval', 'qa', '--data', path, '--board', 'host', '--json');
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.questions).toBe(7);
		expect(out.planned).toBe(7);
		expect(out.interrupted).toBe(false);
		// Windows by hand: 3 questions on the bakery passage, 4 on the lighthouse passage.
		expect(tokenCount(BAKERY)).toBeLessThanOrEqual(128);
		expect(tokenCount(LIGHTHOUSE)).toBeGreaterThan(128);
		expect(out.windows).toBe(3 * 1 + 4 * windowCount(tokenCount(LIGHTHOUSE)));
		const preds = out.predictions as Prediction[];
		expect(preds.map((p) => p.id)).toEqual(['b1', 'b2', 'b3', 'l1', 'l2', 'l3', 'l4']);
		// Every answer is a piece of its passage.
		for (const p of preds) {
			const context = p.id.startsWith('b') ? BAKERY : LIGHTHOUSE;
			for (const text of [p.board, p.int8, p.float]) {
				expect(text.length).toBeGreaterThan(0);
				expect(context).toContain(text);
			}
		}
		// The official rules on the reported answers (6 questions have accepted answers).
		for (const runner of ['board', 'int8', 'float'] as const) {
			const want = officialScores(new Map(preds.map((p) => [p.id, p[runner]])), accepted);
			expect(want.questions).toBe(6);
			expect(out.scores[runner].questions).toBe(6);
			expect(out.scores[runner].exactMatch).toBeCloseTo(want.exactMatch, 9);
			expect(out.scores[runner].f1).toBeCloseTo(want.f1, 9);
		}
		// Board = int8 expectation on every logit of every window, so the same answers.
		expect(out.bitExact).toBe(true);
		expect(out.agreement.boardEqualsInt8Bytes).toBe(7);
		expect(out.agreement.windowsBoardEqualsInt8Bytes).toBe(out.windows);
		expect(out.agreement.boardSpanEqualsInt8).toBe(7);
		for (const p of preds) expect(p.board).toBe(p.int8);
		expect(out.scores.board).toEqual(out.scores.int8);
		// Span agreement with the float reference, counted from the reported answers (equal spans give
		// equal text; a different span may give the same text only if it repeats in the passage).
		const sameText = preds.filter((p) => p.board === p.float).length;
		expect(out.agreement.boardSpanEqualsFloat).toBeLessThanOrEqual(sameText);
		expect(out.agreement.boardSpanEqualsFloatPercent).toBeCloseTo(
			(100 * out.agreement.boardSpanEqualsFloat) / 7,
			9
		);
		expect(out.boardTime.windows).toBe(out.windows);
		expect(out.boardTime.medianMicros).toBeGreaterThan(0);
	});

	it('eval qa --limit 20: 20 held-out questions spread over the articles, figures consistent and official', async () => {
		const r = await tinytwin('eval', 'qa', '--limit', '20', '--board', 'host', '--json');
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.selection).toBe('held-out articles');
		expect(out.questions).toBe(20);
		expect(out.planned).toBe(20);
		const preds = out.predictions as Prediction[];
		expect(preds).toHaveLength(20);
		// The accepted answers straight from SQuAD v1.1 dev: every question is from a held-out article.
		const dev = JSON.parse(readFileSync(SQUAD_DEV, 'utf8')) as {
			data: {
				title: string;
				paragraphs: { qas: { id: string; answers: { text: string }[] }[] }[];
			}[];
		};
		const accepted = new Map<string, string[]>();
		const articleOf = new Map<string, string>();
		for (const a of dev.data)
			for (const p of a.paragraphs)
				for (const q of p.qas) {
					accepted.set(
						q.id,
						q.answers.map((x) => x.text)
					);
					articleOf.set(q.id, a.title);
				}
		for (const p of preds) expect(HELD_OUT_ARTICLES).toContain(articleOf.get(p.id));
		// Spread over the held-out articles, not the first 20 of one.
		expect(new Set(preds.map((p) => articleOf.get(p.id))).size).toBeGreaterThan(1);
		const mine = new Map(preds.map((p) => [p.id, accepted.get(p.id)!]));
		for (const runner of ['board', 'int8', 'float'] as const) {
			const want = officialScores(new Map(preds.map((p) => [p.id, p[runner]])), mine);
			expect(out.scores[runner].questions).toBe(20);
			expect(out.scores[runner].exactMatch).toBeCloseTo(want.exactMatch, 9);
			expect(out.scores[runner].f1).toBeCloseTo(want.f1, 9);
		}
		for (const k of [
			'boardSpanEqualsInt8',
			'boardEqualsInt8Bytes',
			'boardSpanEqualsFloat',
			'int8SpanEqualsFloat'
		])
			expect(out.agreement[k]).toBeLessThanOrEqual(20);
		expect(out.agreement.boardEqualsInt8Bytes).toBe(20);
		expect(out.agreement.boardSpanEqualsInt8).toBe(20);
		expect(out.scores.board).toEqual(out.scores.int8);
		expect(out.agreement.boardSpanEqualsFloat).toBe(out.agreement.int8SpanEqualsFloat);
	});

	it('qa: the board answers a question about a passage given as text or as a file, equal to the int8 expectation, with top spans and the window', async () => {
		const question = 'Who designed the Greywater lighthouse?';
		const r = await tinytwin(
			'qa',
			'--passage',
			LIGHTHOUSE,
			'--question',
			question,
			'--board',
			'host',
			'--json'
		);
		expect(r.code, r.stderr).toBe(0);
		const out = JSON.parse(r.stdout);
		expect(out.passage).toBe(LIGHTHOUSE);
		expect(out.passageFile).toBe(null);
		const n = tokenCount(LIGHTHOUSE);
		expect(out.tokens).toBe(n);
		// Windows by hand: starts 0, 64, … and the last one ending at the passage's end.
		const starts = Array.from({ length: windowCount(n) }, (_, i) => Math.min(64 * i, n - 128));
		expect(out.windows.map((w: { start: number }) => w.start)).toEqual(starts);
		const board = out.answers.board;
		expect(LIGHTHOUSE.slice(board.start, board.end)).toBe(board.text);
		expect(board.window).toBeGreaterThanOrEqual(0);
		expect(board.window).toBeLessThan(starts.length);
		// The span lies in the window that produced it, and is at most 30 tokens.
		expect(board.startToken).toBeGreaterThanOrEqual(starts[board.window]!);
		expect(board.endToken).toBeLessThan(starts[board.window]! + 128);
		expect(board.endToken - board.startToken).toBeLessThan(30);
		expect(out.bitExact).toBe(true);
		expect(out.boardSpanEqualsInt8).toBe(true);
		expect(out.answers.int8).toEqual(board);
		// Top spans: five distinct, best first, the first being the answer.
		const top = out.top.board as { score: number; startToken: number; endToken: number }[];
		expect(top).toHaveLength(5);
		expect(top[0]).toEqual(board);
		for (let i = 1; i < top.length; i++)
			expect(top[i]!.score).toBeLessThanOrEqual(top[i - 1]!.score);
		expect(new Set(top.map((t) => `${t.startToken}-${t.endToken}`)).size).toBe(5);
		expect(out.boardMicros).toBeGreaterThan(0);

		// The same passage from a file gives the same answer; the text output marks it.
		const file = join(dir, 'lighthouse.txt');
		writeFileSync(file, LIGHTHOUSE);
		const t = await tinytwin('qa', '--passage', file, '--question', question, '--board', 'host');
		expect(t.code, t.stderr).toBe(0);
		expect(t.stdout).toContain(`[[${board.text}]]`);
		expect(t.stdout).toMatch(/board time: \d+\.\d+ ms over \d+ windows/);
		expect(t.stdout).toContain('board = int8 expectation on every logit (bit-exact)');
	});

	it('Ctrl-C stops eval qa cleanly and keeps what was measured', async () => {
		if (!existsSync(SQUAD_DEV)) throw new Error(`${SQUAD_DEV} is missing.`);
		const child = spawn('node', ['cli/bin/tinytwin.js', 'eval', 'qa', '--board', 'host', '--json']);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (b) => (stdout += b));
		const code = await new Promise<number | null>((done) => {
			child.stderr.on('data', (b) => {
				stderr += b;
				// Interrupt once some questions have been answered.
				if (/eval qa: [1-9]\d*\/\d+ questions ·/.test(stderr) && !child.killed)
					child.kill('SIGINT');
			});
			child.on('close', done);
		});
		expect(code).toBe(1);
		expect(stderr).toMatch(/Interrupted \(Ctrl-C\)\. \d+ of \d+ questions were measured/);
		const out = JSON.parse(stdout);
		expect(out.interrupted).toBe(true);
		expect(out.questions).toBeGreaterThan(0);
		expect(out.questions).toBeLessThan(out.planned);
		expect(out.predictions).toHaveLength(out.questions);
		expect(out.scores.board.questions).toBe(out.questions);
		expect(out.agreement.boardEqualsInt8Bytes).toBe(out.questions);
	});

	it('bad input gets a sentence that says what was wrong and what to do', async () => {
		const notJson = join(dir, 'not.json');
		writeFileSync(notJson, '{"data": [');
		const notSquad = join(dir, 'not-squad.json');
		writeFileSync(notSquad, JSON.stringify({ data: [{ title: 'x', paragraphs: [{ qas: [] }] }] }));
		// A binary file given by mistake: bytes that are not UTF-8 (0xff never starts a character).
		const binary = join(dir, 'picture.txt');
		writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00, 0x41]));
		const withNul = join(dir, 'nul.txt');
		writeFileSync(withNul, 'Paris is a city.\0\0\0');
		const cases: [string[], number, RegExp][] = [
			[
				['qa', '--passage', join(dir, 'missing.txt'), '--question', 'Who?'],
				1,
				/There is no passage file ".*missing\.txt"\. Check the path; to ask about literal text/
			],
			[
				['qa', '--passage', binary, '--question', 'Who?'],
				1,
				/The passage file ".*picture\.txt" is not UTF-8 text .*Give a plain text file/
			],
			[
				['qa', '--passage', withNul, '--question', 'Who?'],
				1,
				/The passage file ".*nul\.txt" holds NUL bytes, so it is not a text file/
			],
			[['qa', '--passage', 'Some text here.', '--question', ''], 2, /The question is empty/],
			[['qa', '--passage', 'Some text here.', '--question', ' ?! '], 2, /The question is empty/],
			[['qa', '--passage', ' . ', '--question', 'Who?'], 2, /The passage is empty/],
			[['qa', '--question', 'Who?'], 2, /Which passage\?/],
			[['eval', 'qa', '--data', notJson], 1, /is not JSON .*SQuAD v1\.1's JSON format/],
			[
				['eval', 'qa', '--data', notSquad],
				1,
				/not in SQuAD v1\.1's format: data\[0\]\.paragraphs\[0\] has no "context" text/
			],
			[
				['eval', 'qa', '--data', join(dir, 'nowhere.json')],
				1,
				/There is no file .*--data takes any file in SQuAD v1\.1's JSON format/
			],
			[['eval', 'qa', '--limit', '0'], 2, /--limit takes the number of questions.*not "0"/],
			[['eval', 'qa', '--limit', 'many'], 2, /--limit .* not "many"/],
			[['eval', 'qa', '--limit', '2.5'], 2, /--limit .* not "2\.5"/],
			[
				['eval', 'qa', '--limit', '-3'],
				2,
				/--limit needs a value, .* written with "=" \(--limit=-VALUE\)/
			],
			[['eval', 'qa', '--bogus'], 2, /^tinytwin: Unknown option --bogus\. Run "tinytwin help"/],
			[['eval', 'squad'], 2, /Unknown evaluation "squad"/]
		];
		for (const [args, code, message] of cases) {
			const r = await tinytwin(...args, '--board', 'host');
			expect(r.code, args.join(' ')).toBe(code);
			expect(r.stderr, args.join(' ')).toMatch(message);
			expect(r.stderr.trim(), args.join(' ')).toMatch(/\.$/);
			expect(r.stdout, args.join(' ')).toBe('');
		}
	});

	it('says where the default data was looked for, and that --data takes any SQuAD v1.1 file', async () => {
		const missing = join(dir, 'no-shared', 'dev-v1.1.json');
		await expect(chooseQuestions(undefined, missing)).rejects.toThrow(
			new RegExp(
				`looked for at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*give --data with any file in SQuAD v1\\.1's JSON format\\.$`
			)
		);
	});
});
