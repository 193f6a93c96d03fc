// The shared QA tokenizer vectors (tests/fixtures/qa/tokenizer-vectors.json): the generated part
// and the C++ header the firmware test reads (firmware/tests/qa_vectors.h). The hand-written part
// of the JSON is never rewritten here. scripts/gen-qa-vectors.ts writes both files;
// tests/unit/qa/tokenizer-vectors.test.ts fails while either differs from what this makes.
import { PUNCTUATION, SEPARATORS } from '../src/lib/qa/char-class';
import { passageFeatures, questionType, QUESTION_TYPES } from '../src/lib/qa/features';
import { bucketId, tokenize, utf8Offsets, type Token } from '../src/lib/qa/tokenizer';

export const VECTORS_JSON = 'tests/fixtures/qa/tokenizer-vectors.json';
export const VECTORS_HEADER = 'firmware/tests/qa_vectors.h';

// SQuAD-like sentences written for this project (not SQuAD text): names, dates, numbers,
// quotes, parentheses, abbreviations, currencies and a few non-ASCII words.
export const SENTENCES: readonly string[] = [
	'The harbour of Veltmark was rebuilt between 1854 and 1862 after the great storm.',
	'In 1921, the city council (led by Mayor Ada Brenn) approved a budget of $4.5 million.',
	"The river's source lies 2,300 metres above sea level, near the village of Oskari.",
	'Professor J. R. Halloway published "A History of Salt" in March 1977.',
	'Its population grew from 12,000 in 1800 to nearly 1.2 million by 1950.',
	'The treaty — signed at dawn — ended a war that had lasted 37 years.',
	'Most of the province’s wheat is exported through the port of Kessin.',
	'The cathedral, completed in the 13th century, is 142 m (466 ft) tall.',
	'Dr. Mira Okonkwo-Lindqvist won the award in 2004 for her work on enzymes.',
	'About 45% of residents speak Welsh; the rest speak English or Polish.',
	'The Académie Française admitted its first woman, Élise Marchand, in 1980.',
	'Under the Emperor Theodric II, the empire stretched from the Rhine to the Nile.',
	'The engine delivers 250 hp at 6,500 rpm and weighs 180 kg.',
	'St. Anselm’s College was founded by monks who fled the Reformation.',
	'The bridge cost £3 million and opened on 4 July 1898.',
	'Researchers at MIT, Caltech and ETH Zürich confirmed the result in 2016.',
	'The Дунай (Danube) flows through ten countries, more than any other river.',
	"The novel's hero, Captain Fitz-Roy, sails from Plymouth to the Galápagos.",
	'Over 3,000 species of beetle live in the forest, many found nowhere else.',
	'The company’s revenue rose to €2.1 billion in the fiscal year 2019–2020.',
	'The law required every child aged 5–14 to attend school.',
	'Tokyo (東京) became the capital in 1868 during the Meiji Restoration.',
	'The symphony, Op. 67, premiered in Vienna on 22 December 1808.',
	'It is the second-largest lake in Africa, covering 68,800 km².',
	'The “Golden Age” of the city lasted roughly from 1550 to 1650.',
	'NASA’s probe reached Jupiter after a journey of five years.',
	'Her father, a sailor from Bergen, taught her to read at the age of four.',
	'The ΑΘΗΝΑ inscription dates to c. 450 BC, according to the museum.',
	'The tournament, held every 4 years, drew 1.5 billion viewers in 2014!',
	'Why the fortress was abandoned is still debated by historians.'
];

// Question and passage pairs for the feature vectors (also written for this project).
export const FEATURE_PAIRS: readonly (readonly [string, string])[] = [
	['When was the harbour of Veltmark rebuilt?', SENTENCES[0]!],
	['Who led the city council in 1921?', SENTENCES[1]!],
	['How many metres above sea level is the source?', SENTENCES[2]!],
	['What did Professor Halloway publish?', SENTENCES[3]!],
	['How much did the bridge cost?', SENTENCES[14]!],
	['Where did researchers confirm the result?', SENTENCES[15]!],
	['Which river flows through ten countries?', SENTENCES[16]!],
	['How tall is the cathedral?', SENTENCES[7]!],
	['Why was the fortress abandoned?', SENTENCES[29]!],
	['Name the capital that Tokyo replaced.', SENTENCES[21]!]
];

/**
 * Strings that put every edge of the character-class tables (first − 1, first, last, last + 1)
 * and every code point of the lower-cased blocks between word letters, so the two copies of the
 * tables and of the lower-casing (TypeScript and C++) are held equal code point by code point.
 */
export function edgeStrings(): string[] {
	const cps = new Set<number>();
	for (const [first, last] of [...SEPARATORS, ...PUNCTUATION]) {
		for (const cp of [first - 1, first, last, last + 1]) cps.add(cp);
	}
	const blocks = [
		[0x80, 0x24f],
		[0x370, 0x3ff],
		[0x400, 0x45f]
	] as const;
	for (const [a, b] of blocks) for (let cp = a; cp <= b; cp++) cps.add(cp);
	const valid = [...cps]
		.filter((cp) => cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff))
		.sort((a, b) => a - b);
	// 'a' + code point + 'B' + code point + ' ': the code point's class decides how the run splits,
	// its case how the hashes and the capitalised flag come out. 64 code points per string.
	const out: string[] = [];
	for (let i = 0; i < valid.length; i += 64) {
		out.push(
			valid
				.slice(i, i + 64)
				.map((cp) => `a${String.fromCodePoint(cp)}B${String.fromCodePoint(cp)} `)
				.join('')
		);
	}
	return out;
}

/** Token flags as the C tokenizer sets them: 1 punctuation, 2 number, 4 capitalised. */
export function tokenFlags(t: Token): number {
	return (t.kind === 'punct' ? 1 : 0) | (t.number ? 2 : 0) | (t.capitalised ? 4 : 0);
}

export type VectorToken = [number, number, number, number, number, number, number, number];

export function vectorTokens(text: string, buckets: number): VectorToken[] {
	const bytes = utf8Offsets(text);
	return tokenize(text).map((t) => [
		t.start,
		t.end,
		bytes[t.start]!,
		bytes[t.end]!,
		t.hash,
		t.prefixHash,
		bucketId(t.hash, buckets),
		tokenFlags(t)
	]);
}

export interface GeneratedVectors {
	tokenize: { text: string; tokens: VectorToken[] }[];
	features: { passage: string; question: string; type: string; features: number[][] }[];
}

export function featureRows(passage: string, question: string): number[][] {
	const f = passageFeatures(tokenize(passage), tokenize(question));
	const rows: number[][] = [];
	for (let i = 0; i < f.length; i += 6) rows.push(Array.from(f.subarray(i, i + 6)));
	return rows;
}

export function generatedVectors(buckets: number): GeneratedVectors {
	return {
		tokenize: [...SENTENCES, ...edgeStrings()].map((text) => ({
			text,
			tokens: vectorTokens(text, buckets)
		})),
		features: FEATURE_PAIRS.map(([question, passage]) => ({
			passage,
			question,
			type: questionType(tokenize(question)),
			features: featureRows(passage, question)
		}))
	};
}

/** The vector file as JSON text: tabs, one compact token per line. */
export function vectorsJson(doc: unknown): string {
	return (
		JSON.stringify(doc, null, '\t').replace(
			/\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]/g,
			(_, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`
		) + '\n'
	);
}

// ---- The C++ header ----

export interface VectorDoc {
	buckets: number;
	hand: {
		tokenize: {
			name: string;
			text: string;
			tokens: {
				text: string;
				lower: string;
				u16: [number, number];
				u8: [number, number];
				hash: number;
				prefixHash: number;
				id: number;
				kind: 'word' | 'punct';
				number: boolean;
				capitalised: boolean;
			}[];
		}[];
		invalidUtf8: { name: string; utf8Hex: string; errorOffset: number }[];
		questionTypes: { question: string; type: string }[];
		features: { passage: string; question: string; type: string; features: number[][] }[];
	};
	generated: GeneratedVectors;
}

/** A C string literal of these bytes: printable ASCII as is, everything else in octal escapes. */
function cString(bytes: Uint8Array): string {
	let s = '"';
	for (const b of bytes) {
		if (b === 0x22 || b === 0x5c) s += '\\' + String.fromCharCode(b);
		else if (b >= 0x20 && b < 0x7f && b !== 0x3f) s += String.fromCharCode(b);
		else s += '\\' + b.toString(8).padStart(3, '0');
	}
	return s + '"';
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function typeIndex(type: string): number {
	const i = QUESTION_TYPES.indexOf(type as (typeof QUESTION_TYPES)[number]);
	if (i < 0) throw new Error(`"${type}" is not a question type of src/lib/qa/features.ts.`);
	return i;
}

export function vectorsHeader(doc: VectorDoc): string {
	const out: string[] = [
		`// Generated from ${VECTORS_JSON}`,
		'// by scripts/gen-qa-vectors.ts: do not edit. firmware/tests/test_text_vectors.cpp checks the',
		'// C++ tokenizer and features against it.',
		'#pragma once',
		'',
		'#include <stdint.h>',
		'',
		'// clang-format off',
		'',
		'namespace qa_vectors {',
		'',
		'struct Tok {',
		'  uint32_t start, end, hash, prefix_hash;',
		'  int32_t id;',
		'  uint8_t flags;',
		'};',
		'struct TokenizeCase {',
		'  const char* name;',
		'  const char* text;',
		'  uint32_t len;',
		'  const Tok* tokens;',
		'  uint32_t count;',
		'};',
		'struct InvalidCase {',
		'  const char* name;',
		'  const char* bytes;',
		'  uint32_t len;',
		'  uint32_t error_offset;',
		'};',
		'struct QuestionTypeCase {',
		'  const char* question;',
		'  uint8_t type;',
		'};',
		'struct FeatureCase {',
		'  const char* passage;',
		'  const char* question;',
		'  uint8_t type;',
		'  const int8_t* features;  // rows × 6',
		'  uint32_t rows;',
		'};',
		'',
		`constexpr uint32_t kBuckets = ${doc.buckets};`,
		''
	];
	const cases: { name: string; text: string; toks: number[][] }[] = [
		...doc.hand.tokenize.map((c) => ({
			name: c.name,
			text: c.text,
			toks: c.tokens.map((t) => [
				t.u8[0],
				t.u8[1],
				t.hash,
				t.prefixHash,
				t.id,
				(t.kind === 'punct' ? 1 : 0) | (t.number ? 2 : 0) | (t.capitalised ? 4 : 0)
			])
		})),
		...doc.generated.tokenize.map((c, i) => ({
			name: `generated ${i}`,
			text: c.text,
			toks: c.tokens.map((t) => [t[2], t[3], t[4], t[5], t[6], t[7]])
		}))
	];
	cases.forEach((c, i) => {
		if (c.toks.length === 0) return;
		out.push(`const Tok kTokens${i}[] = {`);
		for (const t of c.toks)
			out.push(`    {${t[0]}, ${t[1]}, ${t[2]}u, ${t[3]}u, ${t[4]}, ${t[5]}},`);
		out.push('};');
	});
	out.push('const TokenizeCase kTokenize[] = {');
	cases.forEach((c, i) => {
		const bytes = utf8(c.text);
		const toks = c.toks.length === 0 ? 'nullptr' : `kTokens${i}`;
		out.push(
			`    {${cString(utf8(c.name))}, ${cString(bytes)}, ${bytes.length}, ${toks}, ${c.toks.length}},`
		);
	});
	out.push('};', '', 'const InvalidCase kInvalid[] = {');
	for (const c of doc.hand.invalidUtf8) {
		const bytes = new Uint8Array(c.utf8Hex.split(' ').map((h) => parseInt(h, 16)));
		out.push(
			`    {${cString(utf8(c.name))}, ${cString(bytes)}, ${bytes.length}, ${c.errorOffset}},`
		);
	}
	out.push('};', '', 'const QuestionTypeCase kQuestionTypes[] = {');
	for (const c of doc.hand.questionTypes) {
		out.push(`    {${cString(utf8(c.question))}, ${typeIndex(c.type)}},`);
	}
	out.push('};', '');
	const feats = [...doc.hand.features, ...doc.generated.features];
	feats.forEach((c, i) => {
		out.push(`const int8_t kFeatures${i}[] = {`);
		for (const r of c.features) out.push(`    ${r.join(', ')},`);
		out.push('};');
	});
	out.push('const FeatureCase kFeatures[] = {');
	feats.forEach((c, i) => {
		out.push(
			`    {${cString(utf8(c.passage))}, ${cString(utf8(c.question))}, ${typeIndex(c.type)}, kFeatures${i}, ${c.features.length}},`
		);
	});
	out.push('};', '', '// clang-format on', '}  // namespace qa_vectors', '');
	return out.join('\n');
}
