// Calibrated coefficients of the per-op cost model (cost-model.ts). Written by
// `npx tsx bench/cost-calibrate.ts` on 2026-12-05 (Intel(R) Xeon(R) Processor) from
// 70 cortex-m4 workloads and 13 avr workloads; do not edit by hand —
// run that command again (after a kernel changes, too). Error on held-out workloads: docs/benchmarks.md, "cost".
import type { CostTarget, TargetCoefficients } from './cost-model';

export const COST_COEFFICIENTS: Readonly<Record<CostTarget, TargetCoefficients>> = {
	'cortex-m4': {
		unit: 'instructions',
		perInference: 214.4,
		perOp: 0,
		classes: {
			'ADD:float32': {
				mac: 0,
				element: 0
			},
			'ADD:float32:broadcast': {
				mac: 0,
				element: 62.39
			},
			'ADD:int8': {
				mac: 0,
				element: 286.4
			},
			'ADD:int8:broadcast': {
				mac: 0,
				element: 68.91
			},
			'AVERAGE_POOL_2D:int8': {
				mac: 9.243,
				element: 83.19
			},
			'BATCH_MATMUL:float32': {
				mac: 13.21,
				element: 114.9
			},
			'BATCH_MATMUL:int8': {
				mac: 15.05,
				element: 92.18
			},
			'CONCATENATION:float32': {
				mac: 0,
				element: 53.5
			},
			'CONCATENATION:int8': {
				mac: 0,
				element: 16.17
			},
			'CONV_2D:float32': {
				mac: 5.428,
				element: 360.3
			},
			'CONV_2D:int8': {
				mac: 0.6213,
				element: 122.8
			},
			'DEPTHWISE_CONV_2D:float32': {
				mac: 31.77,
				element: 83.1
			},
			'DEPTHWISE_CONV_2D:int8': {
				mac: 17.37,
				element: 24.44
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 112
			},
			'FULLY_CONNECTED:float32': {
				mac: 3.614,
				element: 99.58
			},
			'FULLY_CONNECTED:int8': {
				mac: 1.526,
				element: 19.55
			},
			'GATHER:float32': {
				mac: 0,
				element: 49.02
			},
			'GATHER:int8': {
				mac: 0,
				element: 16
			},
			'LOGISTIC:float32': {
				mac: 0,
				element: 113.1
			},
			'LOGISTIC:int8': {
				mac: 0,
				element: 461.8
			},
			'MAX_POOL_2D:float32': {
				mac: 22.58,
				element: 112.9
			},
			'MEAN:float32': {
				mac: 46.58,
				element: 73.82
			},
			'MEAN:int8': {
				mac: 27.54,
				element: 373.1
			},
			'MUL:float32:broadcast': {
				mac: 0,
				element: 65.18
			},
			'MUL:int8:broadcast': {
				mac: 0,
				element: 108.9
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 42
			},
			'QUANTIZE:int8': {
				mac: 0,
				element: 81.18
			},
			'SOFTMAX:float32': {
				mac: 63.52,
				element: 63.52
			},
			'SOFTMAX:int8': {
				mac: 324.6,
				element: 324.6
			},
			'STRIDED_SLICE:float32': {
				mac: 0,
				element: 134.9
			},
			'STRIDED_SLICE:int8': {
				mac: 0,
				element: 55.19
			},
			'SUB:int8:broadcast': {
				mac: 0,
				element: 107.8
			},
			'TANH:float32': {
				mac: 0,
				element: 126.5
			},
			'TANH:int8': {
				mac: 0,
				element: 453.2
			},
			'TRANSPOSE:int8': {
				mac: 0,
				element: 33.72
			}
		},
		fallback: {
			mac: 16.21,
			element: 83.19
		},
		error: {
			median: 0.131,
			max: 0.656,
			heldOut: 24
		}
	},
	avr: {
		unit: 'cycles',
		perInference: 1989,
		perOp: 0,
		classes: {
			'ADD:int8:broadcast': {
				mac: 0,
				element: 2391
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 1905
			},
			'FULLY_CONNECTED:int8': {
				mac: 111.4,
				element: 651.5
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 714.2
			},
			'SOFTMAX:float32': {
				mac: 2355,
				element: 2355
			},
			'SOFTMAX:int8': {
				mac: 7662,
				element: 7662
			}
		},
		fallback: {
			mac: 2355,
			element: 2130
		},
		error: {
			median: 0.012,
			max: 0.013,
			heldOut: 5
		}
	}
};
