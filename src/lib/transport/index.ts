// Browser-safe transports and the Transport interface. Node-only ones live in ./node.
export type {
	CloseReason,
	Transport,
	TransportInfo,
	TransportKind,
	Unsubscribe
} from '../protocol/link';
export { createMemoryPair, MemoryEndpoint } from './memory-pair';
export type { MemoryPairOptions } from './memory-pair';
export { FaultyTransport } from './faults';
export type { FaultOptions, LaneFaults, LaneStats } from './faults';
export { seededRng } from './rng';
export type { Rng } from './rng';
