// Every oracle fixture (a converter-made .tflite and the outputs TFLM's own interpreter computed for
// seeded inputs) through TinyTwin's importer, blob writer and reference executor — the int8
// expectation the app compares boards against — byte for byte. The boards run the same cases in
// tests/conformance (board-suite.ts).
import { describe, it } from 'vitest';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';
import { loadOracleFixture, oracleFixtureNames } from '../../shared/oracle-fixtures';
import { expectOracleOutputs, oracleCase } from '../../shared/oracle-run';

describe('oracle fixtures on the reference executor', () => {
	it.each(oracleFixtureNames())('%s', (name) => {
		const c = oracleCase(loadOracleFixture(name));
		expectOracleOutputs(c, createExecutor(c.blob).run(c.inputs, c.count));
	});
});
