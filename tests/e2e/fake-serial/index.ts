// A W3C Web Serial API for Playwright pages, backed by board processes in Node. See fake-serial.ts.
export { FakePort, FakeSerial } from './fake-serial';
export type {
	Chooser,
	FakePortOptions,
	RecoverableReadError,
	SerialFilter,
	SignalState
} from './fake-serial';
