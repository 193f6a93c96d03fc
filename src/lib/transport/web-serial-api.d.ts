// Types for the W3C Web Serial API (https://wicg.github.io/serial/), which TypeScript's DOM library
// does not include. Deliberately a module, not a global augmentation: only web-serial.ts reaches
// navigator.serial, through `NavigatorSerial`.

export interface SerialPortInfo {
	usbVendorId?: number;
	usbProductId?: number;
	bluetoothServiceClassId?: number | string;
}

export interface SerialPortFilter {
	usbVendorId?: number;
	usbProductId?: number;
	bluetoothServiceClassId?: number | string;
}

export interface SerialPortRequestOptions {
	filters?: SerialPortFilter[];
	allowedBluetoothServiceClassIds?: (number | string)[];
}

export interface SerialOptions {
	baudRate: number;
	dataBits?: 7 | 8;
	stopBits?: 1 | 2;
	parity?: 'none' | 'even' | 'odd';
	/** Read and write buffer size in bytes; the spec's default is 255. */
	bufferSize?: number;
	flowControl?: 'none' | 'hardware';
}

export interface SerialOutputSignals {
	dataTerminalReady?: boolean;
	requestToSend?: boolean;
	break?: boolean;
}

export interface SerialInputSignals {
	dataCarrierDetect: boolean;
	clearToSend: boolean;
	ringIndicator: boolean;
	dataSetReady: boolean;
}

export interface SerialPort extends EventTarget {
	onconnect: ((this: SerialPort, ev: Event) => unknown) | null;
	ondisconnect: ((this: SerialPort, ev: Event) => unknown) | null;
	/** Newer drafts; absent in older browsers. */
	readonly connected?: boolean;
	readonly readable: ReadableStream<Uint8Array> | null;
	/** Accepts any BufferSource; typed for the Uint8Array chunks this project writes. */
	readonly writable: WritableStream<Uint8Array> | null;
	getInfo(): SerialPortInfo;
	open(options: SerialOptions): Promise<void>;
	setSignals(signals?: SerialOutputSignals): Promise<void>;
	getSignals(): Promise<SerialInputSignals>;
	close(): Promise<void>;
	forget(): Promise<void>;
}

export interface Serial extends EventTarget {
	onconnect: ((this: Serial, ev: Event) => unknown) | null;
	ondisconnect: ((this: Serial, ev: Event) => unknown) | null;
	getPorts(): Promise<SerialPort[]>;
	requestPort(options?: SerialPortRequestOptions): Promise<SerialPort>;
}

export interface NavigatorSerial {
	readonly serial?: Serial;
}
