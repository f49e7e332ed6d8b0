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

type Tags = import('yaml').Tags;

/** A YAML 1.1 float: the yaml library's pattern, plus at least one digit. */
const FLOAT_WITH_DIGIT = /^(?=.*[0-9])[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

/**
 * `customTags` for YAML 1.1 parsing as helm (go-yaml v2) and PyYAML do it: the yaml library's 1.1
 * float pattern also matches `.`, `+.` and `._` (parsed as NaN), which both read as strings, e.g.
 * an Istio `exportTo: [.]`. This keeps the library's float tag but requires a digit.
 */
export function yaml11FloatNeedsDigit(tags: Tags): Tags {
  return tags.map((t) => (typeof t !== 'string' && t.tag === 'tag:yaml.org,2002:float' && t.test instanceof RegExp && t.test.test('.') ? { ...t, test: FLOAT_WITH_DIGIT } : t)) as Tags;
}
