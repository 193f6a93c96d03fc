// Node-only transports. Never import this from browser-reachable modules.
export { ChildProcessTransport, hostBoardPath } from './child-process';
export type { ChildProcessOptions } from './child-process';
export { listSerialPorts, NodeSerialTransport, scanDevPorts } from './node-serial';
export type { NodeSerialOptions, SerialPortEntry } from './node-serial';
