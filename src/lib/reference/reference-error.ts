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
