// `.tflite` import: the defensive flatbuffer reader, the mapping to the IR, and the float view for
// the TensorFlow.js reference.
export { importTflite, type TfliteImportOptions } from './import';
export { TfliteImportError, type TfliteImportReason } from './errors';
export { tfliteFloatReference, dequantizeData, type TfliteFloatReference } from './float-reference';
export { parseTflite, tfliteTypeName, type TfliteFile } from './schema';
export { builtinOpName } from './op-names';
