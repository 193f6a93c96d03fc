// Public API of the model layer (pure TS: no DOM, no Node).
export * from './ir';
export { writeBlob, writeBlobWithPlan, encodeName, type WrittenBlob } from './blob-writer';
export {
	readBlob,
	type BlobModel,
	type BlobTensor,
	type BlobQuant,
	type BlobOp,
	type ReadOptions
} from './blob-reader';
export {
	BlobError,
	BlobStatus,
	blobStatusName,
	type BlobStatusName,
	type BlobStatusCode
} from './blob-format';
export { createExecutor, type Executor } from './reference-executor';
export {
	planArena,
	planRecords,
	usageRecords,
	type ArenaPlan,
	type UsageRecord
} from './arena-plan';
export { toCHeader, cIdentifier, type CHeaderOptions } from './c-header';
export { computeOpParams, type OpParams } from './op-params';
export { encodeOpParams, decodeOpParams } from './op-params-codec';
export {
	quantizeMlp,
	chooseActivationQuant,
	type QuantParams,
	type QuantizedMlp,
	type QuantizeMlpOptions
} from './quantize';
export { mlpToFloatModel, mlpForward, type Mlp, type DenseLayer } from './mlp';
export { buildMlpBundle, type MlpBundle } from './mlp-bundle';
export { quantizeToInt8, dequantizeInt8, quantizeMultiplier } from './quant-math';
export { trainMlp, type TrainOptions } from './train-mlp';
export * from './tflite';
