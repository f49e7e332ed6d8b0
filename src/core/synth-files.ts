import { IConstruct } from 'constructs';

/**
 * A construct that writes files next to the manifests at synth time (e.g. the istiod Helm
 * values, or a description of the stack). `synthApp` writes them after the YAML, only when
 * validation passed.
 */
export interface ISynthFiles {
  /** File name (relative to the output folder) to file content. */
  synthFiles(): Readonly<Record<string, string>>;
}

export function isSynthFiles(c: IConstruct): c is IConstruct & ISynthFiles {
  return typeof (c as unknown as Partial<ISynthFiles>).synthFiles === 'function';
}
