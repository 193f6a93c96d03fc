// Calibrated coefficients of the per-op cost model (cost-model.ts). Written by
// `npx tsx bench/cost-calibrate.ts` on 2026-12-05 (Intel(R) Xeon(R) Processor) from
// 73 cortex-m4 workloads and 14 avr workloads; do not edit by hand —
// run that command again (after a kernel changes, too). Error on held-out workloads: docs/benchmarks.md, "cost".
import type { CostTarget, TargetCoefficients } from './cost-model';

export const COST_COEFFICIENTS: Readonly<Record<CostTarget, TargetCoefficients>> = {
	'cortex-m4': {
		unit: 'instructions',
		perInference: 218.8,
		perOp: 0,
		classes: {
			'ADD:float32': {
				mac: 0,
				element: 36.89
			},
			'ADD:float32:broadcast': {
				mac: 0,
				element: 38.02
			},
			'ADD:int8': {
				mac: 0,
				element: 0
			},
			'ADD:int8:broadcast': {
				mac: 0,
				element: 44.35
			},
			'AVERAGE_POOL_2D:int8': {
				mac: 8.474,
				element: 76.26
			},
			'BATCH_MATMUL:float32': {
				mac: 10.96,
				element: 70.16
			},
			'BATCH_MATMUL:int8': {
				mac: 3.46,
				element: 61.14
			},
			'CONCATENATION:float32': {
				mac: 0,
				element: 33.88
			},
			'CONCATENATION:int8': {
				mac: 0,
				element: 31.11
			},
			'CONV_2D:float32': {
				mac: 6.857,
				element: 250.3
			},
			'CONV_2D:int8': {
				mac: 0.1904,
				element: 151.9
			},
			'DEPTHWISE_CONV_2D:float32': {
				mac: 31.38,
				element: 55.96
			},
			'DEPTHWISE_CONV_2D:int8': {
				mac: 16.2,
				element: 0
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 159.3
			},
			'FULLY_CONNECTED:float32': {
				mac: 5.291,
				element: 58.4
			},
			'FULLY_CONNECTED:int8': {
				mac: 1.459,
				element: 22.48
			},
			'GATHER:float32': {
				mac: 0,
				element: 106.8
			},
			'GATHER:int8': {
				mac: 0,
				element: 12.55
			},
			'LOGISTIC:float32': {
				mac: 0,
				element: 82.03
			},
			'LOGISTIC:int8': {
				mac: 0,
				element: 170.2
			},
			'MAX_POOL_2D:float32': {
				mac: 15.04,
				element: 75.21
			},
			'MAX_POOL_2D:int8': {
				mac: 13.98,
				element: 69.88
			},
			'MEAN:float32': {
				mac: 37.36,
				element: 42.87
			},
			'MEAN:int8': {
				mac: 4.247,
				element: 273.3
			},
			'MUL:float32:broadcast': {
				mac: 0,
				element: 37.27
			},
			'MUL:int8:broadcast': {
				mac: 0,
				element: 47.73
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 0
			},
			'QUANTIZE:int8': {
				mac: 0,
				element: 32.01
			},
			'RELU:int8': {
				mac: 0,
				element: 38.55
			},
			'SOFTMAX:float32': {
				mac: 49.45,
				element: 49.45
			},
			'SOFTMAX:int8': {
				mac: 67.25,
				element: 67.25
			},
			'STRIDED_SLICE:float32': {
				mac: 0,
				element: 84.78
			},
			'STRIDED_SLICE:int8': {
				mac: 0,
				element: 45.51
			},
			'SUB:float32:broadcast': {
				mac: 0,
				element: 37.79
			},
			'TANH:float32': {
				mac: 0,
				element: 96.37
			},
			'TANH:int8': {
				mac: 0,
				element: 197.2
			},
			'TRANSPOSE:float32': {
				mac: 0,
				element: 46.62
			}
		},
		fallback: {
			mac: 10.96,
			element: 49.45
		},
		error: {
			median: 0.217,
			max: 5.215,
			heldOut: 24
		}
	},
	avr: {
		unit: 'cycles',
		perInference: 2081,
		perOp: 0,
		classes: {
			'ADD:int8:broadcast': {
				mac: 0,
				element: 1847
			},
			'DEQUANTIZE:int8': {
				mac: 0,
				element: 1717
			},
			'FULLY_CONNECTED:int8': {
				mac: 111.6,
				element: 636
			},
			'QUANTIZE:float32': {
				mac: 0,
				element: 793.2
			},
			'SOFTMAX:int8': {
				mac: 4414,
				element: 4414
			}
		},
		fallback: {
			mac: 2263,
			element: 1717
		},
		error: {
			median: 0.006,
			max: 0.144,
			heldOut: 5
		}
	}
};
