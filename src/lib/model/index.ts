// Public API of the model layer (pure TS: no DOM, no Node).
export * from './ir/ir';
export { writeBlob, writeBlobWithPlan, encodeName, type WrittenBlob } from './format/blob-writer';
export {
	readBlob,
	type BlobModel,
	type BlobTensor,
	type BlobQuant,
	type BlobOp,
	type ReadOptions
} from './format/blob-reader';
export {
	BlobError,
	BlobStatus,
	blobStatusName,
	type BlobStatusName,
	type BlobStatusCode
} from './format/blob-format';
export { createExecutor, type Executor } from './exec/reference-executor';
export {
	planArena,
	planRecords,
	usageRecords,
	type ArenaPlan,
	type UsageRecord
} from './format/arena-plan';
export {
	toCHeader,
	toTfliteCHeader,
	cIdentifier,
	type CHeaderOptions,
	type TfliteCHeaderOptions
} from './format/c-header';
export { computeOpParams, encodeOpParams, decodeOpParams, type OpParams } from './ops/op-params';
export { OPCODE, ALL_OPCODES, opDef, opDefByOpcode, OP_DEFS } from './ops/registry';
export {
	quantizeMlp,
	chooseActivationQuant,
	type QuantParams,
	type QuantizedMlp,
	type QuantizeMlpOptions
} from './mlp/quantize';
export { mlpToFloatModel, mlpForward, type Mlp, type DenseLayer } from './mlp/mlp';
export { buildMlpBundle, type MlpBundle } from './mlp/mlp-bundle';
export { quantizeToInt8, dequantizeInt8, quantizeMultiplier } from './quant/quant-math';
export * from './tflite';
