// The committed JSON form of a trained demo MLP: weights as the shortest decimal strings that
// round-trip to the same binary32 values, plus the calibration inputs used for quantization.

import type { Activation } from '../ir/ir';
import type { Mlp } from './mlp';

export interface MlpJson {
	name: string;
	description: string;
	/** How it was trained (recipe, seed); informational. */
	training: Record<string, unknown>;
	layers: { weights: number[][]; bias: number[] | null; activation: string }[];
	/** Representative model inputs for int8 calibration (scalar models). */
	calibration: number[];
}

const ACTIVATIONS: readonly Activation[] = ['none', 'relu', 'relu6'];

export function mlpFromJson(json: Pick<MlpJson, 'layers'>): Mlp {
	return {
		layers: json.layers.map((l, k) => {
			const activation = ACTIVATIONS.find((a) => a === l.activation);
			if (!activation) throw new Error(`Layer ${k} has unknown activation "${l.activation}".`);
			return { weights: l.weights, bias: l.bias, activation };
		})
	};
}

/** Shortest decimal that reads back (through Math.fround) as the same binary32 value. */
export function shortestFloat32(x: number): number {
	const f = Math.fround(x);
	for (let p = 1; p <= 9; p++) {
		const v = Number(f.toPrecision(p));
		if (Math.fround(v) === f) return v;
	}
	return f;
}

export function mlpToJsonLayers(mlp: Mlp): MlpJson['layers'] {
	return mlp.layers.map((l) => ({
		weights: l.weights.map((row) => row.map(shortestFloat32)),
		bias: l.bias ? l.bias.map(shortestFloat32) : null,
		activation: l.activation
	}));
}
