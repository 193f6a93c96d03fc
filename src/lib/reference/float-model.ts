// The model forms the TensorFlow.js float reference takes, brought to one: a read blob. Plain model
// layer code (no TensorFlow.js), so callers can convert once before the reference is loaded.

import { readBlob, type BlobModel } from '../model/format/blob-reader';
import { writeBlob } from '../model/format/blob-writer';
import type { Model } from '../model/ir/ir';
import type { FloatModel } from './reference-types';

/** The blob of any accepted model form; throws BlobError for bytes the board would refuse too. */
export function floatBlobModel(model: FloatModel): BlobModel {
	if (model instanceof Uint8Array) return readBlob(model);
	if ('arenaSize' in model) return model;
	return readBlob(writeBlob(model as Model));
}
