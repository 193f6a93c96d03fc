// Calibrated coefficients of the per-op cost model (cost-model.ts). Written by
// `npx tsx bench/cost-calibrate.ts` on 2026-12-05 (Intel(R) Xeon(R) Processor) from
// 70 cortex-m4 workloads and 13 avr workloads; do not edit by hand —
// run that command again (after a kernel changes, too). Error on held-out workloads: docs/benchmarks.md, "cost".
import type { CostTarget, TargetCoefficients } from './cost-model';

export const COST_COEFFICIENTS: Readonly<Record<CostTarget, TargetCoefficients>> = {
	'cortex-m4': {
		unit: 'instructions',
		perInference: 212.6,
		perOp: 0,
		classes: {
			'ADD:float32': {
				mac: 0,
				element: 0
			},
			'ADD:float32:broadcast': {
				mac: 0,
				element: 62.27
			},
			'ADD:int8': {
				mac: 0,
				element: 286
			},
			'ADD:int8:broadcast': {
				mac: 0,
				element: 68.71
			},
			'AVERAGE_POOL_2D:int8': {
				mac: 9.245,
				element: 83.21
			},
			'BATCH_MATMUL:float32': {
				mac: 13.21,
				element: 115.1
			},
			'BATCH_MATMUL:int8': {
				mac: 15.06,
				element: 92.23
			},
			'CONCATENATION:float32': {
				mac: 0,
				element: 53.8
			},
			'CONCATENATION:int8': {
				mac: 0,
				element: 16.22
			},
			'CONV_2D:float32': {
				mac: 5.431,
				element: 360.2
			},
			'CONV_2D:int8': {
				mac: 0.6208,
				element: 122.8
			},
			'DEPTHWISE_CONV_2D:float32': {
				mac: 31.78,
				element: 83.02
			},
			'DEPTHWISE_CONV_2D:int8': {
				mac: 17.37,
				element: 24.49
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 112.1
			},
			'FULLY_CONNECTED:float32': {
				mac: 3.595,
				element: 99.72
			},
			'FULLY_CONNECTED:int8': {
				mac: 1.523,
				element: 19.64
			},
			'GATHER:float32': {
				mac: 0,
				element: 48.86
			},
			'GATHER:int8': {
				mac: 0,
				element: 16.04
			},
			'LOGISTIC:float32': {
				mac: 0,
				element: 113.7
			},
			'LOGISTIC:int8': {
				mac: 0,
				element: 461
			},
			'MAX_POOL_2D:float32': {
				mac: 22.6,
				element: 113
			},
			'MEAN:float32': {
				mac: 46.53,
				element: 73.53
			},
			'MEAN:int8': {
				mac: 27.53,
				element: 373.7
			},
			'MUL:float32:broadcast': {
				mac: 0,
				element: 65.35
			},
			'MUL:int8:broadcast': {
				mac: 0,
				element: 109.2
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 42.03
			},
			'QUANTIZE:int8': {
				mac: 0,
				element: 82.02
			},
			'SOFTMAX:float32': {
				mac: 64.07,
				element: 64.07
			},
			'SOFTMAX:int8': {
				mac: 324.6,
				element: 324.6
			},
			'STRIDED_SLICE:float32': {
				mac: 0,
				element: 135
			},
			'STRIDED_SLICE:int8': {
				mac: 0,
				element: 55.27
			},
			'SUB:int8:broadcast': {
				mac: 0,
				element: 107.9
			},
			'TANH:float32': {
				mac: 0,
				element: 126.1
			},
			'TANH:int8': {
				mac: 0,
				element: 452.8
			},
			'TRANSPOSE:int8': {
				mac: 0,
				element: 33.75
			}
		},
		fallback: {
			mac: 16.21,
			element: 83.21
		},
		error: {
			median: 0.131,
			max: 0.654,
			heldOut: 24
		}
	},
	avr: {
		unit: 'cycles',
		perInference: 1981,
		perOp: 0,
		classes: {
			'ADD:int8:broadcast': {
				mac: 0,
				element: 2391
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 1904
			},
			'FULLY_CONNECTED:int8': {
				mac: 111.2,
				element: 653.9
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 714.2
			},
			'SOFTMAX:float32': {
				mac: 2353,
				element: 2353
			},
			'SOFTMAX:int8': {
				mac: 7662,
				element: 7662
			}
		},
		fallback: {
			mac: 2353,
			element: 2129
		},
		error: {
			median: 0.012,
			max: 0.015,
			heldOut: 5
		}
	}
};
