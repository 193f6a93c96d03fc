// The TypeScript tokenizer and features against the shared vectors (tests/fixtures/qa/
// tokenizer-vectors.json); firmware/tests/test_text_vectors.cpp holds the C++ twin to the same file.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { passageFeatures, questionType } from '../../../src/lib/qa/features';
import { bucketId, fnv1a, tokenize, utf8Offsets } from '../../../src/lib/qa/tokenizer';
import {
	featureRows,
	generatedVectors,
	VECTORS_HEADER,
	VECTORS_JSON,
	vectorsHeader,
	vectorsJson,
	vectorTokens,
	type VectorDoc
} from '../../../scripts/qa-vectors';

const committed = readFileSync(VECTORS_JSON, 'utf8');
const doc = JSON.parse(committed) as VectorDoc;

describe('hand-written tokenizer vectors', () => {
	for (const c of doc.hand.tokenize) {
		it(c.name, () => {
			const bytes = utf8Offsets(c.text);
			const got = tokenize(c.text).map((t) => ({
				text: c.text.slice(t.start, t.end),
				u16: [t.start, t.end],
				u8: [bytes[t.start], bytes[t.end]],
				kind: t.kind,
				number: t.number,
				capitalised: t.capitalised,
				hash: t.hash,
				prefixHash: t.prefixHash,
				id: bucketId(t.hash, doc.buckets)
			}));
			const want = c.tokens.map((t) => ({
				text: t.text,
				u16: t.u16,
				u8: t.u8,
				kind: t.kind,
				number: t.number,
				capitalised: t.capitalised,
				hash: t.hash,
				prefixHash: t.prefixHash,
				id: t.id
			}));
			expect(got).toEqual(want);
			// The file's hashes are those of its hand-written lower-cased forms.
			for (const t of c.tokens) expect(fnv1a(t.lower)).toBe(t.hash);
		});
	}

	it('question types', () => {
		for (const c of doc.hand.questionTypes) {
			expect([c.question, questionType(tokenize(c.question))]).toEqual([c.question, c.type]);
		}
	});

	it('features', () => {
		for (const c of doc.hand.features) {
			expect(questionType(tokenize(c.question))).toBe(c.type);
			expect(featureRows(c.passage, c.question)).toEqual(c.features);
		}
	});
});

describe('generated vectors', () => {
	it('equal what src/lib/qa makes now', () => {
		expect(doc.generated).toEqual(generatedVectors(doc.buckets));
	});

	it('map every token back to its exact text in both offset units', () => {
		for (const c of doc.generated.tokenize) {
			const bytes = new TextEncoder().encode(c.text);
			for (const [s16, e16, s8, e8] of vectorTokens(c.text, doc.buckets)) {
				const t = c.text.slice(s16, e16);
				expect(new TextDecoder().decode(bytes.subarray(s8, e8))).toBe(t);
			}
		}
	});

	it('the committed JSON and C++ header are what scripts/gen-qa-vectors.ts writes', () => {
		expect(committed).toBe(vectorsJson(doc));
		expect(readFileSync(VECTORS_HEADER, 'utf8')).toBe(vectorsHeader(doc));
	});

	it('features are one row per passage token', () => {
		const p = tokenize('A b.');
		expect(passageFeatures(p, []).length).toBe(p.length * 6);
	});
});
