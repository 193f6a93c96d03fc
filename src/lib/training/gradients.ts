// The TensorFlow.js gradients training needs, registered from tfjs-core's own gradient configs.
// tfjs-core registers none by itself (the union package does, through register_all_gradients); that
// module pulls in every gradient and does not load under plain Node ESM/tsx (it reaches a directory
// import), while each of these `*_grad` modules loads in Vite, vitest and tsx alike.
// The training graph is dense layers (matMul + add), ReLU or ReLU6, and a mean squared error
// (sub, square, mean): exactly these kernels. A kernel missing here fails loudly in tf.variableGrads
// ("gradient function not found"), never silently.
import { registerGradient, type GradConfig } from '@tensorflow/tfjs-core';
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad';
import { meanGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad';
import { relu6GradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu6_grad';
import { reluGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Relu_grad';
import { squareGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Square_grad';
import { subGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sub_grad';

export const TRAINING_GRADIENTS: readonly GradConfig[] = [
	addGradConfig,
	batchMatMulGradConfig,
	meanGradConfig,
	reluGradConfig,
	relu6GradConfig,
	squareGradConfig,
	subGradConfig
];

let registered = false;

/** Registers the gradients above (once). */
export function registerTrainingGradients(): void {
	if (registered) return;
	TRAINING_GRADIENTS.forEach(registerGradient);
	registered = true;
}
