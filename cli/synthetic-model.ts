// Valid int8 models of a chosen size with seeded random weights: the payload for upload benchmarks
// and the conformance matrix (a board only commits blobs its loader accepts, so random bytes will
// not do).
import { quantizeMlp } from '../src/lib/model/mlp/quantize';
import { writeBlob } from '../src/lib/model/format/blob-writer';
import { mulberry32 } from '../src/lib/model/mlp/rng';
import type { Mlp } from '../src/lib/model/mlp/mlp';

function randomMlp(width: number, seed: number): Mlp {
	const rng = mulberry32(seed);
	const matrix = (rows: number, cols: number) =>
		Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng() * 2 - 1));
	const vector = (n: number) => Array.from({ length: n }, () => rng() - 0.5);
	return {
		layers: [
			{ weights: matrix(width, 1), bias: vector(width), activation: 'relu' },
			{ weights: matrix(width, width), bias: vector(width), activation: 'relu' },
			{ weights: matrix(1, width), bias: vector(1), activation: 'none' }
		]
	};
}

/** A 1→w→w→1 int8 MLP blob for a given width. */
export function syntheticBlob(
	width: number,
	seed: number,
	name = `synthetic-${width}-${seed}`
): Uint8Array {
	const calibration = Array.from({ length: 32 }, (_, i) => [i / 8 - 2]);
	return writeBlob(quantizeMlp(randomMlp(width, seed), calibration, { name }).model);
}

/** The widest such model whose blob is at most `maxBytes` (≥ width 1). */
export function syntheticBlobNear(maxBytes: number, seed: number): Uint8Array {
	// Blob size grows as ~w² + 14w + const; solve, then step down until it fits.
	let width = Math.max(1, Math.floor(Math.sqrt(maxBytes)));
	let blob = syntheticBlob(width, seed);
	while (blob.length > maxBytes && width > 1) blob = syntheticBlob(--width, seed);
	return blob;
}
