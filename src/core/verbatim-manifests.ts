import * as fs from 'fs';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { YAML } from './yaml';

const VERBATIM = Symbol.for('cdk8s-llm-d.VerbatimApiObject');

/**
 * One document of a vendored manifest file, kept as its text. `synthApp` writes the text as it
 * is; `toJson()` (what `app.synth()` and tests read) parses it on first use. The vendored CRD
 * bundles are about 1 MB of YAML: parsing and re-serializing them cost more than the rest of
 * the stack's synthesis, for output that must not change anyway.
 */
export class VerbatimApiObject extends ApiObject {
  /** Set on every instance: cdk8s answers `instanceof` for any ApiObject subclass by its own brand. */
  public readonly [VERBATIM] = true;
  private parsed?: Record<string, unknown>;

  constructor(scope: Construct, id: string, identity: DocumentIdentity, readonly text: string) {
    super(scope, id, { apiVersion: identity.apiVersion, kind: identity.kind, metadata: { name: identity.name } });
  }

  public toJson(): Record<string, unknown> {
    this.parsed ??= YAML.parse(this.text) as Record<string, unknown>;
    return this.parsed;
  }
}

/** What names a document: read from its top-level lines without parsing it. */
export interface DocumentIdentity {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

/**
 * The documents of a multi-document YAML file, as text (each ending in a newline), with their
 * identity. Documents without a kind (comments only) are left out. Only for files this package
 * vendors, whose layout the tests check against a full parse: plain top-level `apiVersion`,
 * `kind` and `metadata.name` lines.
 */
export function splitManifestFile(text: string): Array<{ identity: DocumentIdentity; text: string }> {
  const out: Array<{ identity: DocumentIdentity; text: string }> = [];
  for (const doc of text.split(/^---[ \t]*$\n?/m)) {
    const identity = documentIdentity(doc);
    if (identity) out.push({ identity, text: doc.endsWith('\n') ? doc : `${doc}\n` });
  }
  return out;
}

function scalar(raw: string): string {
  const v = raw.replace(/\s+#.*$/, '').trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

function documentIdentity(doc: string): DocumentIdentity | undefined {
  const apiVersion = /^apiVersion:[ \t]*(.+)$/m.exec(doc)?.[1];
  const kind = /^kind:[ \t]*(.+)$/m.exec(doc)?.[1];
  // metadata's own `name`, two spaces in: the first such line after `metadata:` and before the next top-level key.
  const name = /^metadata:[ \t]*\n(?:(?:[ \t]{2,}.*|[ \t]*)\n)*?[ \t]{2}name:[ \t]*(.+)$/m.exec(doc)?.[1];
  if (apiVersion === undefined || kind === undefined || name === undefined) return undefined;
  return { apiVersion: scalar(apiVersion), kind: scalar(kind), name: scalar(name) };
}

/** Adds every document of a vendored manifest file to `scope`, kept as text. */
export function includeVerbatim(scope: Construct, file: string): VerbatimApiObject[] {
  return splitManifestFile(fs.readFileSync(file, 'utf8')).map(
    ({ identity, text }) => new VerbatimApiObject(scope, `${identity.kind}-${identity.name}`, identity, text),
  );
}

/** Whether `o` is kept as text (cdk8s's `instanceof` is true for every ApiObject, so a brand). */
export function isVerbatim(o: ApiObject): o is VerbatimApiObject {
  return (o as Partial<Record<typeof VERBATIM, boolean>>)[VERBATIM] === true;
}
