// The virtual board's Web Worker: the firmware core (wasm) behind VirtualBoardTransport. Spawned by
// virtual-board.ts; all logic lives in VirtualBoardService.
import type { FromBoardWorker, ToBoardWorker } from './virtual-board-messages';
import { VirtualBoardService } from './virtual-board-service';

// The project's TypeScript lib is the DOM's, not the WebWorker's: describe the little used here.
const scope = self as unknown as {
	onmessage: ((e: MessageEvent<ToBoardWorker>) => void) | null;
	postMessage(message: FromBoardWorker, transfer: Transferable[]): void;
};

const service = new VirtualBoardService((m, transfer) => scope.postMessage(m, transfer));
scope.onmessage = (e) => service.handle(e.data);
