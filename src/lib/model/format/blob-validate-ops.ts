// Op records of a blob (docs/model-format.md §4, §5, §7 step 5, format 1.1), in the firmware loader's
// order, per op: UNSUPPORTED_OP; BAD_OP (record: index list, operand indices); OUT_OF_BOUNDS then
// MISALIGNED (params); BAD_OP (counts against the operator's maxima); BAD_OP (the operator's rules:
// inputs it needs, absent inputs, types, shapes); BAD_PARAMS; NOT_TOPOLOGICAL (inputs not yet
// available, an output that is a constant). Outputs after the first are scratch buffers.

import { BlobError, BlobStatus, NONE_INDEX } from './blob-format';
import type { BlobTensor } from './blob-reader';
import type { OpKind } from '../ir/ir';
import type { CheckContext } from '../ops/op-def';
import { decodeOpParams, type OpParams } from '../ops/op-params';
import { opDefByOpcode } from '../ops/registry';

export interface BlobOp {
	opcode: number;
	kind: OpKind;
	/** Tensor indices; null for an absent optional input. */
	inputs: (number | null)[];
	outputs: number[];
	params: OpParams;
}

export { SOFTMAX_INT8_MAX_DEPTH } from '../ops/softmax';

interface Context {
	view: DataView;
	header: {
		opCount: number;
		opsOffset: number;
		ioCount: number;
		dataOffset: number;
		dataSize: number;
		tensorCount: number;
	};
	tensors: BlobTensor[];
	inputs: number[];
	ioAt: (k: number) => number;
	supportedOps?: readonly number[] | undefined;
}

export function validateOps(ctx: Context): BlobOp[] {
	const { view: v, header: h, tensors } = ctx;
	const produced = new Set<number>(ctx.inputs);
	const ops: BlobOp[] = [];
	for (let j = 0; j < h.opCount; j++) {
		const at = h.opsOffset + j * 16;
		const opcode = v.getUint16(at, true);
		const def = opDefByOpcode(opcode);
		if (def === undefined || (ctx.supportedOps && !ctx.supportedOps.includes(opcode))) {
			throw new BlobError(
				BlobStatus.UNSUPPORTED_OP,
				j,
				`Op ${j} has opcode ${opcode}, which this board does not run; update the firmware or use other ops.`
			);
		}
		const kind = def.kind;
		const badOp = (why: string): never => {
			throw new BlobError(BlobStatus.BAD_OP, j, `Op ${j} (${kind}) is invalid: ${why}.`);
		};
		// Record level (§7 step 5.2): inside the index list, then every operand index exists (0xFFFF
		// marks an absent input — whether the op allows it is its own rule — but never an output).
		const nIn = v.getUint8(at + 2);
		const nOut = v.getUint8(at + 3);
		const ioStart = v.getUint32(at + 4, true);
		if (ioStart + nIn + nOut > h.ioCount) badOp('its tensor indices run past the index list');
		const inputs: (number | null)[] = [];
		for (let k = 0; k < nIn; k++) {
			const t = ctx.ioAt(ioStart + k);
			if (t === NONE_INDEX) inputs.push(null);
			else if (t >= h.tensorCount) badOp(`input ${k} refers to tensor ${t}, which does not exist`);
			else inputs.push(t);
		}
		const outputs: number[] = [];
		for (let k = 0; k < nOut; k++) {
			const t = ctx.ioAt(ioStart + nIn + k);
			if (t >= h.tensorCount) badOp(`output ${k} refers to tensor ${t}, which does not exist`);
			outputs.push(t);
		}

		const paramsAt = v.getUint32(at + 8, true);
		const paramsSize = v.getUint32(at + 12, true);
		if (paramsAt + paramsSize > h.dataSize) {
			throw new BlobError(
				BlobStatus.OUT_OF_BOUNDS,
				j,
				`Op ${j} has params outside the data section.`
			);
		}
		if (paramsAt % 4 !== 0) {
			throw new BlobError(
				BlobStatus.MISALIGNED,
				j,
				`Op ${j} has params at offset ${paramsAt}, not a multiple of 4.`
			);
		}

		// Counts (step 5.4): at most the operator's maximum inputs; 1 … its maximum outputs (outputs
		// after the first are scratch buffers).
		const [minIn, maxIn] = def.arity.inputs;
		const maxOut = def.arity.outputs?.[1] ?? 1;
		if (nIn > maxIn || nOut < 1 || nOut > maxOut) badOp(`it has ${nIn} inputs and ${nOut} outputs`);
		// The operator's own rules (step 5.5): inputs it needs, absent inputs, types and shapes (BAD_OP),
		// then the params (BAD_PARAMS).
		if (nIn < minIn) badOp(`it has ${nIn} inputs`);
		inputs.forEach((t, k) => {
			if (t === null && !def.arity.optional?.includes(k)) badOp(`input ${k} is absent`);
		});
		const check: CheckContext = {
			inputs: inputs.map((t) => (t === null ? null : tensors[t]!)),
			outputs: outputs.map((t) => tensors[t]!),
			badOp
		};
		def.check(check);
		const params = decodeOpParams(
			kind,
			def.layoutFor(check.inputs, check.outputs),
			v,
			h.dataOffset + paramsAt,
			paramsSize
		);
		const badParams = (why: string): never => {
			throw new BlobError(
				BlobStatus.BAD_PARAMS,
				j,
				`Op ${j} (${kind}) has invalid parameters: ${why}.`
			);
		};
		if (params === null) return badParams(`params_size ${paramsSize} does not match its layout`);
		const why = def.checkParams(params, check);
		if (why !== null) badParams(why);

		// Order (step 5.6): every arena input exists before the op runs; every output (scratch
		// included) is an arena tensor. Only output 0 becomes available to later ops.
		inputs.forEach((t, k) => {
			if (t !== null && tensors[t]!.storage !== 'constant' && !produced.has(t)) {
				throw new BlobError(
					BlobStatus.NOT_TOPOLOGICAL,
					j,
					`Op ${j} reads tensor ${t} (input ${k}) before any op or model input provides it.`
				);
			}
		});
		outputs.forEach((t) => {
			if (tensors[t]!.storage !== 'arena') {
				throw new BlobError(
					BlobStatus.NOT_TOPOLOGICAL,
					j,
					`Op ${j} writes tensor ${t}, which is a constant.`
				);
			}
		});
		produced.add(outputs[0]!);
		ops.push({ opcode, kind, inputs, outputs, params });
	}
	return ops;
}
