// Runs the oracle fixtures (tests/fixtures/oracle: converter-made .tflite files with TFLM's outputs)
// through TinyTwin's own path — .tflite import, blob writer, then the reference executor or any
// board's Session — and compares every output byte with the oracle's.
import { expect } from 'vitest';
import { importTflite, TfliteImportError } from '../../src/lib/model/tflite';
import { readBlob } from '../../src/lib/model/format/blob-reader';
import { DeviceError } from '../../src/lib/protocol';
import { writeBlob } from '../../src/lib/model/format/blob-writer';
import type { Session } from '../../src/lib/protocol';
import { maxUlpDistance } from './golden';
import {
	loadOracleFixture,
	oracleFixtureNames,
	readOracleModel,
	tensorBytes,
	type OracleFixture,
	type OracleTensor
} from './oracle-fixtures';

/**
 * Ops whose float32 kernels call exp/tanh, which libm implementations round differently by an ulp
 * now and then; float outputs of fixtures using one are compared within FLOAT_TRANSCENDENTAL_ULP
 * (the error of one exp, amplified by the ops after it), everything else byte for byte.
 */
const TRANSCENDENTAL = new Set(['SOFTMAX', 'TANH', 'LOGISTIC']);
export const FLOAT_TRANSCENDENTAL_ULP = 64;

export interface OracleCase {
	fixture: OracleFixture;
	blob: Uint8Array;
	count: number;
	inputBytes: number;
	outputBytes: number;
	/** Every example's inputs, then every example's expected outputs, concatenated record by record. */
	inputs: Uint8Array;
	want: Uint8Array;
	/** 0: byte for byte. */
	maxUlp: number;
}

const concat = (parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
};
const record = (ts: OracleTensor[]) => concat(ts.map(tensorBytes));

/** Imports the fixture's .tflite and writes its blob (throws the importer's sentence if it cannot). */
export function oracleCase(fixture: OracleFixture): OracleCase {
	// A −1 beyond the batch (squeeze_dynamic_*) is refused by default with a sentence
	// (tflite-malformed.test.ts); these fixtures exercise the opt-in that runs it at its stored
	// size, as TFLM does.
	const dynamic = fixture.inputTensors.some((t) => (t.shapeSignature ?? []).slice(1).includes(-1));
	const model = importTflite(readOracleModel(fixture), {
		name: fixture.name,
		...(dynamic && { dynamicDims: 'stored' as const })
	});
	const bytes = writeBlob(model);
	const ex = fixture.examples;
	const floatOut = fixture.outputTensors.some((t) => t.dtype === 'float32');
	return {
		fixture,
		blob: bytes,
		count: ex.length,
		inputBytes: record(ex[0]!.inputs).length,
		outputBytes: record(ex[0]!.outputs).length,
		inputs: concat(ex.map((e) => record(e.inputs))),
		want: concat(ex.map((e) => record(e.outputs))),
		maxUlp:
			floatOut && fixture.ops.some((o) => TRANSCENDENTAL.has(o)) ? FLOAT_TRANSCENDENTAL_ULP : 0
	};
}

/** Compares outputs with the oracle's: bytes equal, or float32 within the case's ulp budget. */
export function expectOracleOutputs(c: OracleCase, got: Uint8Array): void {
	expect(got.length, `${c.fixture.name}: output bytes`).toBe(c.want.length);
	if (c.maxUlp === 0) {
		const first = got.findIndex((b, i) => b !== c.want[i]);
		expect(
			first,
			`${c.fixture.name}: first output byte that differs from ${c.fixture.oracle}`
		).toBe(-1);
	} else {
		expect(maxUlpDistance(got, c.want), `${c.fixture.name}: ulp distance`).toBeLessThanOrEqual(
			c.maxUlp
		);
	}
}

/** Uploads the case's blob to the board and runs every example there. */
export async function runOracleCaseOnBoard(s: Session, c: OracleCase): Promise<Uint8Array> {
	await s.upload(c.blob);
	const { outputs } = await s.infer(c.inputs, {
		count: c.count,
		inputBytes: c.inputBytes,
		outputBytes: c.outputBytes
	});
	return outputs;
}

/**
 * Every oracle fixture on a board: those whose ops the board reports and that fit its pool run byte
 * for byte like the oracle; the others must be refused at COMMIT (never committed). Fixtures the
 * importer cannot take yet are left to the executor's oracle test. Returns the names that ran.
 */
export async function expectOracleFixturesOnBoard(
	s: Session,
	poolBytes: number
): Promise<string[]> {
	const ran: string[] = [];
	for (const name of oracleFixtureNames()) {
		let c: OracleCase;
		try {
			c = oracleCase(loadOracleFixture(name));
		} catch (e) {
			if (e instanceof TfliteImportError) continue;
			throw e;
		}
		const model = readBlob(c.blob);
		const missing = model.ops.some((op) => !s.hello.ops.includes(op.opcode));
		if (missing || c.blob.length + model.arenaSize > poolBytes) {
			await expect(s.upload(c.blob), name).rejects.toBeInstanceOf(DeviceError);
			continue;
		}
		expectOracleOutputs(c, await runOracleCaseOnBoard(s, c));
		ran.push(name);
	}
	return ran;
}
