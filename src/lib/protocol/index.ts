// Public surface of the protocol layer (pure TS: no DOM, no Node).
export { crc32 } from '../checksum/crc32';
export { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs';
export {
	encodeFrame,
	FrameDecoder,
	frameWireLength,
	MAX_PAYLOAD_LIMIT,
	MIN_PAYLOAD
} from './framing';
export type { BadFrameReason, FrameDecoderStats } from './framing';
export { ConsoleLog, ConsoleText } from './console-text';
export type {
	ConsoleLine,
	ConsoleLineKind,
	ConsoleLogOptions,
	ConsoleSnapshot,
	ConsoleTextOptions
} from './console-text';
export * from './messages';
export { decodeAnswer } from './answers';
export * from './errors';
export * from './device-errors';
export { Session } from './session';
export type { SessionOptions } from './session';
export type { ChannelStats } from './channel';
export type { TimingOptions } from './timing';
export type { UploadOptions, UploadProgress, UploadResult } from './upload';
export { maxBatchSize } from './infer';
export type { InferOptions, InferResult } from './infer';
