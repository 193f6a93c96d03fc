// Public API of the training layer: recipes, trainModel (TensorFlow.js, loaded lazily on first
// training) and the post-training int8 quantization report. This file must never import
// '@tensorflow/*' statically: only train.ts's dynamic import of ./tfjs-trainer may.
export {
	RECIPES,
	recipeData,
	type Recipe,
	type RecipeId,
	type RecipeData,
	type Split
} from './recipes';
export {
	trainModel,
	predictFloat,
	predictInt8,
	applyInputTransform,
	type InputTransform,
	type EpochReport,
	type ErrorStats,
	type QuantReport,
	type TrainedModel,
	type TrainModelOptions
} from './train';
