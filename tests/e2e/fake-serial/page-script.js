// Injected with context.addInitScript() before any page script runs: replaces navigator.serial with
// an implementation of the W3C Web Serial API (https://wicg.github.io/serial/) whose ports are
// board processes driven from Node (fake-serial.ts) through the binding __tinytwinSerialBridge.
// It follows the spec's observable behaviour — state checks and exception names, streams that are
// re-created after recoverable errors and null after fatal ones, 'connect'/'disconnect' events that
// bubble from the port to navigator.serial — plus Chromium's choices where the spec leaves room
// (close() rejects with TypeError while a stream is locked; the error messages).
// Plain browser JavaScript on purpose: it is handed to the browser as text.
(() => {
	'use strict';
	if (window.top !== window || window.__tinytwinFakeSerial) return;
	const BINDING = '__tinytwinSerialBridge';
	const doc = Math.random().toString(36).slice(2) + Date.now().toString(36);
	const MAX_BUFFER_SIZE = 16 * 1024 * 1024; // Chromium's limit
	const token = Symbol('construct');

	/** Calls Node. Every answer is an object; failures carry { error: DOMException name, message }. */
	function bridge(op, arg) {
		const fn = window[BINDING];
		if (typeof fn !== 'function') {
			return Promise.resolve({ error: 'NetworkError', message: 'The fake serial bridge is gone.' });
		}
		return fn(op, Object.assign({ doc }, arg));
	}

	function domError(name, message) {
		return new DOMException(message, name);
	}

	/** `onconnect`-style attributes: one listener slot per event type, like EventHandler. */
	const handlerSlots = new WeakMap();
	function defineEventHandler(proto, type) {
		Object.defineProperty(proto, 'on' + type, {
			configurable: true,
			enumerable: true,
			get() {
				return handlerSlots.get(this)?.[type]?.fn ?? null;
			},
			set(fn) {
				let slots = handlerSlots.get(this);
				if (!slots) handlerSlots.set(this, (slots = {}));
				const old = slots[type];
				if (old) this.removeEventListener(type, old.listener);
				if (typeof fn === 'function') {
					const listener = (e) => fn.call(this, e);
					slots[type] = { fn, listener };
					this.addEventListener(type, listener);
				} else delete slots[type];
			}
		});
	}

	/** Fires `type` at `port` (bubbles: true), then lets it bubble to navigator.serial. */
	function fireBubbling(port, type) {
		const event = new Event(type, { bubbles: true });
		let stopped = false;
		const stop = event.stopPropagation.bind(event);
		const stopNow = event.stopImmediatePropagation.bind(event);
		Object.defineProperty(event, 'stopPropagation', {
			value() {
				stopped = true;
				stop();
			}
		});
		Object.defineProperty(event, 'stopImmediatePropagation', {
			value() {
				stopped = true;
				stopNow();
			}
		});
		port.dispatchEvent(event);
		if (stopped || !event.bubbles) return;
		// A finished event may be dispatched again; keep target === port as real bubbling would.
		Object.defineProperty(event, 'target', { value: port, configurable: true });
		Object.defineProperty(event, 'srcElement', { value: port, configurable: true });
		Object.defineProperty(event, 'eventPhase', { value: Event.BUBBLING_PHASE, configurable: true });
		serial.dispatchEvent(event);
		Object.defineProperty(event, 'eventPhase', { value: Event.NONE, configurable: true });
	}

	function toBool(v) {
		return v === undefined ? undefined : Boolean(v);
	}

	/** WebIDL [EnforceRange] integer conversion. */
	function enforceRange(value, name, max) {
		const n = Number(value);
		if (!Number.isFinite(n)) {
			throw new TypeError(
				`Failed to read the '${name}' property from 'SerialOptions': Value is not finite.`
			);
		}
		const t = Math.trunc(n);
		if (t < 0 || t > max) {
			throw new TypeError(
				`Failed to read the '${name}' property from 'SerialOptions': Value is outside the range.`
			);
		}
		return t;
	}

	function copyBytes(chunk) {
		if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk.slice(0));
		if (ArrayBuffer.isView(chunk)) {
			return new Uint8Array(
				chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength)
			);
		}
		return null;
	}

	/** Set by SerialPort's static block: the only ways into a port's private state from outside. */
	let unplugged = (_port) => undefined;
	let pluggedIn = (_port) => undefined;

	class SerialPort extends EventTarget {
		#id;
		#gen;
		#info;
		#state = 'closed';
		#connected = true;
		#bufferSize = 255;
		#readable = null;
		#readController = null;
		#readFatal = false;
		#writable = null;
		#writeController = null;
		#writeFatal = false;
		#pendingClose = null;

		constructor(t, id, gen, info) {
			if (t !== token) throw new TypeError('Illegal constructor');
			super();
			this.#id = id;
			this.#gen = gen;
			this.#info = info;
		}

		get [Symbol.toStringTag]() {
			return 'SerialPort';
		}

		get #key() {
			return { id: this.#id, gen: this.#gen };
		}

		get connected() {
			return this.#connected;
		}

		getInfo() {
			const info = {};
			if (this.#info.usbVendorId !== undefined) info.usbVendorId = this.#info.usbVendorId;
			if (this.#info.usbProductId !== undefined) info.usbProductId = this.#info.usbProductId;
			return info;
		}

		async open(options) {
			if (arguments.length < 1) {
				throw new TypeError(
					"Failed to execute 'open' on 'SerialPort': 1 argument required, but only 0 present."
				);
			}
			if (this.#state !== 'closed') {
				throw domError('InvalidStateError', 'The port is already open.');
			}
			const o = options ?? {};
			if (o.baudRate === undefined) {
				throw new TypeError(
					"Failed to read the 'baudRate' property from 'SerialOptions': Required member is undefined."
				);
			}
			const baudRate = enforceRange(o.baudRate, 'baudRate', 0xffffffff);
			if (baudRate === 0) throw new TypeError('Requested baud rate must be greater than zero.');
			const dataBits = o.dataBits === undefined ? 8 : enforceRange(o.dataBits, 'dataBits', 255);
			if (dataBits !== 7 && dataBits !== 8) {
				throw new TypeError('Requested number of data bits must be 7 or 8.');
			}
			const stopBits = o.stopBits === undefined ? 1 : enforceRange(o.stopBits, 'stopBits', 255);
			if (stopBits !== 1 && stopBits !== 2) {
				throw new TypeError('Requested number of stop bits must be 1 or 2.');
			}
			const parity = o.parity === undefined ? 'none' : String(o.parity);
			if (!['none', 'even', 'odd'].includes(parity)) {
				throw new TypeError(
					`Failed to read the 'parity' property from 'SerialOptions': The provided value '${parity}' is not a valid enum value of type ParityType.`
				);
			}
			const flowControl = o.flowControl === undefined ? 'none' : String(o.flowControl);
			if (!['none', 'hardware'].includes(flowControl)) {
				throw new TypeError(
					`Failed to read the 'flowControl' property from 'SerialOptions': The provided value '${flowControl}' is not a valid enum value of type FlowControlType.`
				);
			}
			const bufferSize =
				o.bufferSize === undefined ? 255 : enforceRange(o.bufferSize, 'bufferSize', 0xffffffff);
			if (bufferSize === 0) throw new TypeError('Requested buffer size must be greater than zero.');
			if (bufferSize > MAX_BUFFER_SIZE) {
				throw new TypeError(
					`Requested buffer size (${bufferSize} bytes) is greater than the maximum allowed (${MAX_BUFFER_SIZE} bytes).`
				);
			}
			this.#state = 'opening';
			const options2 = { baudRate, dataBits, stopBits, parity, flowControl, bufferSize };
			const r = await bridge('open', { ...this.#key, options: options2 });
			if (r.error) {
				this.#state = 'closed';
				throw domError(r.error, r.message);
			}
			this.#state = 'opened';
			this.#bufferSize = bufferSize;
			this.#readFatal = false;
			this.#writeFatal = false;
		}

		get readable() {
			if (this.#readable) return this.#readable;
			if (this.#state !== 'opened' || this.#readFatal) return null;
			let stream = null;
			stream = new ReadableStream(
				{
					type: 'bytes',
					start: (controller) => {
						this.#readController = controller;
					},
					// One read in flight at a time: the returned promise settles when Node answers.
					pull: async (controller) => {
						const byob = controller.byobRequest;
						const desired = byob ? byob.view.byteLength : controller.desiredSize;
						const max = Math.max(1, desired ?? this.#bufferSize);
						const r = await bridge('read', { ...this.#key, max });
						if (this.#readable !== stream || r.cancelled) return;
						if (r.data) {
							const data = r.data instanceof Uint8Array ? r.data : new Uint8Array(r.data);
							if (data.length === 0) return;
							if (byob && controller.byobRequest) {
								const view = controller.byobRequest.view;
								const n = Math.min(view.byteLength, data.length);
								new Uint8Array(view.buffer, view.byteOffset, n).set(data.subarray(0, n));
								controller.byobRequest.respond(n);
								if (n < data.length) controller.enqueue(data.slice(n));
							} else controller.enqueue(data);
							return;
						}
						if (r.error) this.#failReadable(r.error, r.message);
					},
					cancel: async () => {
						// The spec discards the receive buffers, then lets go of the stream.
						await bridge('cancelRead', this.#key);
						if (this.#readable === stream) this.#handleClosingReadable();
					}
				},
				{ highWaterMark: this.#bufferSize }
			);
			this.#readable = stream;
			return stream;
		}

		#failReadable(name, message) {
			const controller = this.#readController;
			if (name === 'NetworkError') this.#readFatal = true;
			this.#handleClosingReadable();
			try {
				controller?.error(domError(name, message));
			} catch {
				// already closed or errored
			}
		}

		#handleClosingReadable() {
			this.#readable = null;
			this.#readController = null;
			if (!this.#writable && this.#pendingClose) this.#pendingClose();
		}

		get writable() {
			if (this.#writable) return this.#writable;
			if (this.#state !== 'opened' || this.#writeFatal) return null;
			let stream = null;
			stream = new WritableStream(
				{
					start: (controller) => {
						this.#writeController = controller;
					},
					write: async (chunk) => {
						const bytes = copyBytes(chunk);
						if (!bytes) {
							throw new TypeError(
								"Failed to execute 'write' on 'UnderlyingSinkBase': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'."
							);
						}
						const r = await bridge('write', { ...this.#key, data: bytes });
						if (r.error) {
							if (r.error === 'NetworkError') this.#writeFatal = true;
							if (this.#writable === stream) this.#handleClosingWritable();
							throw domError(r.error, r.message);
						}
					},
					close: async () => {
						await bridge('drain', this.#key);
						if (this.#writable === stream) this.#handleClosingWritable();
					},
					abort: async () => {
						await bridge('abortWrite', this.#key);
						if (this.#writable === stream) this.#handleClosingWritable();
					}
				},
				new ByteLengthQueuingStrategy({ highWaterMark: this.#bufferSize })
			);
			this.#writable = stream;
			return stream;
		}

		#failWritable(name, message) {
			const controller = this.#writeController;
			if (name === 'NetworkError') this.#writeFatal = true;
			this.#handleClosingWritable();
			try {
				controller?.error(domError(name, message));
			} catch {
				// already closed or errored
			}
		}

		#handleClosingWritable() {
			this.#writable = null;
			this.#writeController = null;
			if (!this.#readable && this.#pendingClose) this.#pendingClose();
		}

		async setSignals(signals = {}) {
			if (this.#state !== 'opened') {
				throw domError('InvalidStateError', 'The port is closed.');
			}
			const s = {
				dataTerminalReady: toBool(signals.dataTerminalReady),
				requestToSend: toBool(signals.requestToSend),
				break: toBool(signals.break)
			};
			if (
				s.dataTerminalReady === undefined &&
				s.requestToSend === undefined &&
				s.break === undefined
			) {
				throw new TypeError('Signals dictionary is empty.');
			}
			const r = await bridge('setSignals', { ...this.#key, signals: s });
			if (r.error) throw domError(r.error, r.message);
		}

		async getSignals() {
			if (this.#state !== 'opened') {
				throw domError('InvalidStateError', 'The port is closed.');
			}
			const r = await bridge('getSignals', this.#key);
			if (r.error) throw domError(r.error, r.message);
			return { ...r.signals };
		}

		async close() {
			if (this.#state !== 'opened') {
				throw domError(
					'InvalidStateError',
					this.#state === 'closing'
						? 'A call to close() is already in progress.'
						: 'The port is already closed.'
				);
			}
			// Chromium rejects here; the spec's internal cancel/abort would not check the locks.
			if (this.#readable?.locked) {
				throw new TypeError(
					"Failed to execute 'close' on 'SerialPort': Cannot cancel a locked stream"
				);
			}
			if (this.#writable?.locked) {
				throw new TypeError(
					"Failed to execute 'close' on 'SerialPort': Cannot abort a locked stream"
				);
			}
			const cancelled = this.#readable ? this.#readable.cancel() : Promise.resolve();
			const aborted = this.#writable ? this.#writable.abort() : Promise.resolve();
			const pending = new Promise((resolve) => {
				if (!this.#readable && !this.#writable) resolve();
				else this.#pendingClose = resolve;
			});
			this.#state = 'closing';
			try {
				await Promise.all([cancelled, aborted, pending]);
			} finally {
				this.#pendingClose = null;
			}
			await bridge('close', this.#key);
			this.#state = 'closed';
			this.#readFatal = false;
			this.#writeFatal = false;
		}

		async forget() {
			await bridge('forget', this.#key);
			if (this.#state === 'opened') this.#lose('The device has been lost.');
			this.#state = 'forgotten';
			this.#connected = false;
		}

		/** The port disappeared: streams fail with NetworkError (fatal), `connected` turns false. */
		#lose(message) {
			this.#connected = false;
			if (this.#readable) this.#failReadable('NetworkError', message);
			else this.#readFatal = true;
			if (this.#writable) this.#failWritable('NetworkError', message);
			else this.#writeFatal = true;
		}

		static {
			unplugged = (port) => {
				port.#lose('The device has been lost.');
				fireBubbling(port, 'disconnect');
			};
			pluggedIn = (port) => {
				port.#connected = true;
				fireBubbling(port, 'connect');
			};
		}
	}
	defineEventHandler(SerialPort.prototype, 'connect');
	defineEventHandler(SerialPort.prototype, 'disconnect');

	/** One SerialPort object per port (id) and plug-in (gen), like the browser's. */
	const ports = new Map();
	function portFor(desc) {
		const key = `${desc.id}:${desc.gen}`;
		let port = ports.get(key);
		if (!port) ports.set(key, (port = new SerialPort(token, desc.id, desc.gen, desc.info)));
		return port;
	}

	function checkFilters(filters) {
		if (filters === undefined) return undefined;
		if (
			filters === null ||
			typeof filters !== 'object' ||
			typeof filters[Symbol.iterator] !== 'function'
		) {
			throw new TypeError(
				"Failed to execute 'requestPort' on 'Serial': Failed to read the 'filters' property from 'SerialPortRequestOptions': The provided value cannot be converted to a sequence."
			);
		}
		const out = [];
		for (const f of filters) {
			const filter = f ?? {};
			const hasBt = filter.bluetoothServiceClassId !== undefined;
			if (hasBt && (filter.usbVendorId !== undefined || filter.usbProductId !== undefined)) {
				throw new TypeError(
					"Failed to execute 'requestPort' on 'Serial': A filter cannot specify both bluetoothServiceClassId and usbVendorId or usbProductId."
				);
			}
			if (!hasBt && filter.usbVendorId === undefined) {
				throw new TypeError(
					"Failed to execute 'requestPort' on 'Serial': A filter containing a usbProductId must also specify a usbVendorId."
				);
			}
			// What Node sees: only the members present, as unsigned shorts.
			const f2 = {};
			if (hasBt) f2.bluetooth = true;
			if (filter.usbVendorId !== undefined) f2.usbVendorId = Number(filter.usbVendorId) & 0xffff;
			if (filter.usbProductId !== undefined) f2.usbProductId = Number(filter.usbProductId) & 0xffff;
			out.push(f2);
		}
		return out;
	}

	class Serial extends EventTarget {
		constructor(t) {
			if (t !== token) throw new TypeError('Illegal constructor');
			super();
		}

		get [Symbol.toStringTag]() {
			return 'Serial';
		}

		async getPorts() {
			const r = await bridge('getPorts', {});
			return (r.ports ?? []).map(portFor);
		}

		async requestPort(options = {}) {
			const filters = checkFilters(options?.filters);
			if (navigator.userActivation && !navigator.userActivation.isActive) {
				throw domError(
					'SecurityError',
					'Must be handling a user gesture to show a permission request.'
				);
			}
			const r = await bridge('requestPort', { filters });
			if (!r.port) throw domError('NotFoundError', 'No port selected by the user.');
			return portFor(r.port);
		}
	}
	defineEventHandler(Serial.prototype, 'connect');
	defineEventHandler(Serial.prototype, 'disconnect');

	const serial = new Serial(token);
	Object.defineProperty(Navigator.prototype, 'serial', {
		configurable: true,
		enumerable: true,
		get() {
			return serial;
		}
	});
	for (const [name, value] of [
		['Serial', Serial],
		['SerialPort', SerialPort]
	]) {
		Object.defineProperty(window, name, { value, configurable: true, writable: true });
	}

	// Node → page: plug events. Not part of the API; non-enumerable so the app never sees it by accident.
	Object.defineProperty(window, '__tinytwinFakeSerial', {
		value: Object.freeze({
			host(msg) {
				if (msg.type === 'connect') pluggedIn(portFor(msg));
				else if (msg.type === 'disconnect') {
					const port = ports.get(`${msg.id}:${msg.gen}`) ?? portFor(msg);
					unplugged(port);
				}
			}
		})
	});
	void bridge('hello', {});
})();
