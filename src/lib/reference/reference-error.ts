// The one way the float reference fails: its code could not be loaded or initialised (offline
// before the app was cached, a blocked chunk, a backend that refused to start).

export class ReferenceLoadError extends Error {
	readonly kind = 'reference-load';

	constructor(cause: unknown) {
		super(
			'The browser reference (TensorFlow.js) could not be loaded, so board results cannot be compared with it. ' +
				'Reload the page; if you are offline, open TinyTwin once while online so it is saved for offline use.',
			{ cause }
		);
		this.name = 'ReferenceLoadError';
	}
}

/** Why a model cannot run on the TensorFlow.js float reference (FloatModelError.reason). */
export type FloatModelErrorReason =
	/** An op with no TensorFlow.js counterpart here (QUANTIZE, DEQUANTIZE, a newer op). */
	| 'unsupported-op'
	/** A tensor an op computes with is int8 or int16: the model is not a float32 graph. */
	| 'not-float'
	/** An example does not fit the model's inputs (count or length). */
	| 'bad-example';

/**
 * A model or an example the TensorFlow.js float reference cannot run; the message is a sentence that
 * names the op, tensor or example and says what to do instead.
 */
export class FloatModelError extends Error {
	readonly kind = 'float-model';

	constructor(
		readonly reason: FloatModelErrorReason,
		message: string,
		/** The op's index in the blob (reasons 'unsupported-op' and 'not-float'), else null. */
		readonly op: number | null = null
	) {
		super(message);
		this.name = 'FloatModelError';
	}
}
