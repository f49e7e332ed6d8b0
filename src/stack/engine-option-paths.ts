import type { ModelServerEngine } from './model-server-engine';

/**
 * Where a preset stack's user wrote an engine's options. `RngdServingStack` takes the furiosa
 * engine's options on each model (`models[0].tensorParallelism`) and `maxRngdPerNode` once on the
 * stack, instead of `models[0].engine.<option>`: it records that here, so a refused option is
 * named as the user wrote it.
 */
export const engineOptionPaths = new WeakMap<ModelServerEngine, (option: string) => string>();
