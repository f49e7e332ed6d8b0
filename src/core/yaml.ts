/**
 * The `yaml` library, shared with cdk8s. cdk8s bundles its own copy of `yaml` (the version it
 * writes manifests with) and always loads it; loading our dependency's copy as well would parse
 * and compile the library twice at start-up (~15 ms of every synth). Falls back to our own
 * dependency when cdk8s's copy cannot be found (e.g. a deduplicated install).
 */
import * as path from 'path';

type YamlModule = typeof import('yaml');

function load(): YamlModule {
  try {
    const cdk8sDir = path.dirname(require.resolve('cdk8s'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('yaml', { paths: [cdk8sDir] })) as YamlModule;
  } catch {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('yaml') as YamlModule;
  }
}

export const YAML: YamlModule = load();
