// Calibrated coefficients of the per-op cost model (cost-model.ts). Written by
// `npx tsx bench/cost-calibrate.ts` on 2026-12-05 (AMD EPYC) from
// 73 cortex-m4 workloads and 14 avr workloads; do not edit by hand —
// run that command again (after a kernel changes, too). Error on held-out workloads: docs/benchmarks.md, "cost".
import type { CostTarget, TargetCoefficients } from './cost-model';

export const COST_COEFFICIENTS: Readonly<Record<CostTarget, TargetCoefficients>> = {
	'cortex-m4': {
		unit: 'instructions',
		perInference: 255.8,
		perOp: 0,
		classes: {
			'ADD:float32': {
				mac: 0,
				element: 68.56
			},
			'ADD:float32:broadcast': {
				mac: 0,
				element: 30.95
			},
			'ADD:int8': {
				mac: 0,
				element: 5.411
			},
			'ADD:int8:broadcast': {
				mac: 0,
				element: 49.32
			},
			'AVERAGE_POOL_2D:int8': {
				mac: 8.151,
				element: 73.36
			},
			'BATCH_MATMUL:float32': {
				mac: 10.49,
				element: 66.55
			},
			'BATCH_MATMUL:int8': {
				mac: 5.243,
				element: 46.09
			},
			'CONCATENATION:float32': {
				mac: 0,
				element: 34.77
			},
			'CONCATENATION:int8': {
				mac: 0,
				element: 29.85
			},
			'CONV_2D:float32': {
				mac: 6.705,
				element: 236.7
			},
			'CONV_2D:int8': {
				mac: 0.3252,
				element: 102.3
			},
			'DEPTHWISE_CONV_2D:float32': {
				mac: 27.22,
				element: 71.77
			},
			'DEPTHWISE_CONV_2D:int8': {
				mac: 13.56,
				element: 14.88
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 162.8
			},
			'FULLY_CONNECTED:float32': {
				mac: 5.097,
				element: 54.71
			},
			'FULLY_CONNECTED:int8': {
				mac: 1.563,
				element: 18.18
			},
			'GATHER:float32': {
				mac: 0,
				element: 125.7
			},
			'GATHER:int8': {
				mac: 0,
				element: 10.81
			},
			'LOGISTIC:float32': {
				mac: 0,
				element: 74.39
			},
			'LOGISTIC:int8': {
				mac: 0,
				element: 130.3
			},
			'MAX_POOL_2D:float32': {
				mac: 14.47,
				element: 72.33
			},
			'MAX_POOL_2D:int8': {
				mac: 13.45,
				element: 67.26
			},
			'MEAN:float32': {
				mac: 31.76,
				element: 80.67
			},
			'MEAN:int8': {
				mac: 15.74,
				element: 181.1
			},
			'MUL:float32:broadcast': {
				mac: 0,
				element: 30.74
			},
			'MUL:int8:broadcast': {
				mac: 0,
				element: 38.55
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 0
			},
			'QUANTIZE:int8': {
				mac: 0,
				element: 54.63
			},
			'RELU:int8': {
				mac: 0,
				element: 58.14
			},
			'SOFTMAX:float32': {
				mac: 48.32,
				element: 48.32
			},
			'SOFTMAX:int8': {
				mac: 62.49,
				element: 62.49
			},
			'STRIDED_SLICE:float32': {
				mac: 0,
				element: 77.86
			},
			'STRIDED_SLICE:int8': {
				mac: 0,
				element: 41.5
			},
			'SUB:int8:broadcast': {
				mac: 0,
				element: 64.97
			},
			'TANH:float32': {
				mac: 0,
				element: 88.19
			},
			'TANH:int8': {
				mac: 0,
				element: 181.5
			},
			'TRANSPOSE:int8': {
				mac: 0,
				element: 26.12
			}
		},
		fallback: {
			mac: 13.45,
			element: 62.49
		},
		error: {
			median: 0.289,
			max: 6.229,
			heldOut: 25
		}
	},
	avr: {
		unit: 'cycles',
		perInference: 2058,
		perOp: 0,
		classes: {
			'ADD:int8:broadcast': {
				mac: 0,
				element: 1849
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 1717
			},
			'FULLY_CONNECTED:int8': {
				mac: 111.4,
				element: 638.9
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 799.2
			},
			'SOFTMAX:int8': {
				mac: 4415,
				element: 4415
			}
		},
		fallback: {
			mac: 2263,
			element: 1717
		},
		error: {
			median: 0.005,
			max: 0.145,
			heldOut: 5
		}
	}
};
