// ERROR codes (docs/protocol.md §4) and the sentences a person reads for them.
import { assertNever } from './assert';

export const ErrorCode = {
	UNKNOWN_MESSAGE: 1,
	MALFORMED: 2,
	UNSUPPORTED_PROTOCOL: 3,
	NO_UPLOAD: 4,
	TOO_LARGE: 5,
	BAD_SLOT: 6,
	BAD_OFFSET: 7,
	INCOMPLETE: 8,
	CHECKSUM_MISMATCH: 9,
	PARAMS_MISMATCH: 10,
	MODEL_INVALID: 11,
	ARENA_TOO_SMALL: 12,
	NO_MODEL: 13,
	INPUT_SIZE: 14,
	BATCH_TOO_LARGE: 15,
	STORAGE_FAILED: 16,
	BUSY: 17,
	NO_STAGE: 18,
	NO_RESULT: 19,
	STAGE_LAYOUT: 20
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

/** Model loader statuses carried in MODEL_INVALID's detail bits 0–7 (docs/model-format.md §7). */
export const LOADER_STATUS: Readonly<Record<number, string>> = {
	1: 'it is shorter than the 64-byte header',
	2: 'it does not start with "TTMB", so it is not a TinyTwin model',
	3: 'its format version is not one this firmware reads',
	4: 'its header is inconsistent',
	5: 'a section lies outside the model',
	6: 'an offset is misaligned',
	7: 'a tensor is malformed',
	8: 'a tensor has a type the board does not support (only int8, int16, int32 and float32)',
	9: 'a quantization record is invalid',
	10: 'it uses an operator this board does not support',
	11: 'an operator has inputs or outputs it does not accept',
	12: 'an operator has invalid parameters',
	13: 'its operators are not in execution order',
	14: 'a model input or output is invalid',
	15: 'its working memory (arena) does not fit in the board’s RAM',
	16: 'it has more tensors or operators than the board’s tables hold'
};

/** What the client knew when the error came back; sentences use what is there. */
export interface DeviceErrorContext {
	totalLen?: number;
	blobCrc?: number;
	slot?: number;
	inputBytes?: number;
}

const NAME_BY_CODE = new Map<number, ErrorCodeName>(
	(Object.keys(ErrorCode) as ErrorCodeName[]).map((n) => [ErrorCode[n], n])
);

/** The code's name, or undefined for a code this client does not know. */
export function knownErrorName(code: number): ErrorCodeName | undefined {
	return NAME_BY_CODE.get(code);
}

/** e.g. 'TOO_LARGE', or 'ERROR_<n>' for an unknown code. */
export function deviceErrorName(code: number): string {
	return NAME_BY_CODE.get(code) ?? `ERROR_${code}`;
}

/** 70312 → "70 312" (no-break space between groups of three). */
export function formatCount(n: number): string {
	return Math.round(n)
		.toString()
		.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

const hex32 = (n: number) => '0x' + (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
const slotName = (slot: number) => (slot === 1 ? 'flash (slot 1)' : `RAM (slot ${slot})`);

export function deviceErrorSentence(
	code: number,
	detail: number,
	boardText: string,
	ctx: DeviceErrorContext
): string {
	const bytes = (n: number) => `${formatCount(n)} bytes`;
	const model =
		ctx.totalLen === undefined ? 'The model' : `The model is ${bytes(ctx.totalLen)} and`;
	const name = knownErrorName(code);
	if (name === undefined) {
		return `The board reported error ${code}${boardText ? ` (“${boardText}”)` : ''}, which this app does not know. Update the app, or the firmware, so that both are the same version.`;
	}
	switch (name) {
		case 'UNKNOWN_MESSAGE':
			return `The board does not understand request type 0x${detail.toString(16)}, so its firmware is older than this app. Flash the TinyTwin firmware that comes with this version onto the board.`;
		case 'MALFORMED':
			return `The board rejected a request as malformed (a body of ${bytes(detail)}). The app and the firmware disagree about the protocol: update both, and report a bug if it persists.`;
		case 'UNSUPPORTED_PROTOCOL':
			return `The board speaks TinyTwin protocol ${detail}, but this app speaks protocol 1. Flash the firmware that comes with this version of the app, or use a matching app version.`;
		case 'NO_UPLOAD':
			return 'The board has no upload in progress: it was reset, or the upload was aborted. Start the upload again.';
		case 'TOO_LARGE':
			return ctx.totalLen === undefined
				? `The board can store at most ${bytes(detail)} next to the running model. Use a smaller model, or quantize it to int8 (about 4× smaller).`
				: `The model is ${bytes(ctx.totalLen)} but the board can store at most ${bytes(detail)} next to the running model. Use a smaller model, or quantize it to int8 (about 4× smaller), or upload to a board with more memory.`;
		case 'BAD_SLOT':
			return detail === 1
				? 'This board has no flash storage for models (slot 1). Upload to RAM (slot 0) instead; the model is then lost when the board resets.'
				: `This board has no storage slot ${detail}. Upload to RAM (slot 0), or to flash (slot 1) if the board has it.`;
		case 'BAD_OFFSET':
			return `The app sent a chunk past the end of the ${bytes(detail)} upload. This is a bug in the app: start the upload again, and report it if it persists.`;
		case 'INCOMPLETE':
			return `The board has only the first ${bytes(detail)}${ctx.totalLen === undefined ? '' : ` of ${bytes(ctx.totalLen)}`}, so it could not commit the model. Resume the upload to send the rest.`;
		case 'CHECKSUM_MISMATCH':
			return `The model arrived corrupted: the board computed CRC-32 ${hex32(detail)}${ctx.blobCrc === undefined ? '' : ` instead of ${hex32(ctx.blobCrc)}`}, so it discarded the upload. Upload again; if it keeps happening, try another USB cable or port.`;
		case 'PARAMS_MISMATCH':
			return 'The board holds a different unfinished upload than the one being committed. Upload the model again from the start.';
		case 'MODEL_INVALID': {
			const why = LOADER_STATUS[detail & 0xff] ?? `loader status ${detail & 0xff}`;
			const where = detail >>> 8 ? ` (tensor or operator #${detail >>> 8})` : '';
			return `The board rejected the model: ${why}${where}. The previous model keeps running. Export the model again with this version of TinyTwin, and check that the board supports every operator it uses.`;
		}
		case 'ARENA_TOO_SMALL':
			return `${model} needs ${bytes(detail)} of working memory (arena), which does not fit in the board’s RAM next to it. The previous model keeps running. Use a smaller model, or a board with more RAM.`;
		case 'NO_MODEL':
			return 'The board has no model running. Upload a model first.';
		case 'INPUT_SIZE':
			return `The board’s model takes ${bytes(detail)} per input${ctx.inputBytes === undefined ? '' : `, but the app sent ${bytes(ctx.inputBytes)}`}: the running model is not the one the app expects. Upload the model again.`;
		case 'BATCH_TOO_LARGE':
			return `The board can answer at most ${formatCount(detail)} inputs in one request. Send smaller batches (the app normally does this by itself; report a bug if you see this).`;
		case 'STORAGE_FAILED':
			return `The board could not write the model to ${slotName(ctx.slot ?? 1)} (board error ${detail}), so it discarded the upload. Try again, or upload to RAM (slot 0).`;
		case 'BUSY':
			return 'The board is busy and cannot serve this request right now. Wait a moment, then try again.';
		case 'NO_STAGE':
			return 'The board holds no staged input for this inference: a new model, another inference or a reset replaced it. Run the inference again.';
		case 'NO_RESULT':
			return 'The board holds no result to read back: a new model, another inference or a reset replaced it. Run the inference again.';
		case 'STAGE_LAYOUT': {
			const which = ['', 'inputs', 'outputs', 'inputs and outputs'][detail & 3] || 'inputs';
			return `This model’s ${which} are not stored back to back in the board’s working memory, so an input or result larger than one frame cannot be staged there by this firmware. Use a board whose frame holds one whole input and result, or a model with one input and one output.`;
		}
		default:
			return assertNever(name);
	}
}
