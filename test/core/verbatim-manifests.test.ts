import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { renderApp } from '../../src/synth/validate';
import { includeVerbatim, isVerbatim, splitManifestFile } from '../../src/core/verbatim-manifests';

const CRDS = path.join(__dirname, '..', '..', 'crds');
const bundles = fs.readdirSync(CRDS).filter((f) => f.endsWith('.yaml'));

describe('vendored manifests kept as text', () => {
  test.each(bundles)('%s: the split finds every document, with the identity and content a full parse gives', (file) => {
    const text = fs.readFileSync(path.join(CRDS, file), 'utf8');
    const parsed = YAML.parseAllDocuments(text).map((d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } } | null).filter((d) => d !== null);
    const split = splitManifestFile(text);
    expect(split.map((d) => d.identity)).toEqual(parsed.map((d) => ({ apiVersion: d.apiVersion, kind: d.kind, name: d.metadata.name })));
    expect(split.map((d) => YAML.parse(d.text))).toEqual(parsed);
    expect(split.every((d) => d.text.endsWith('\n'))).toBe(true);
  });

  test('identity lines: quoted values, comments, a nested name before metadata\'s own', () => {
    const text = ['# header', '---', 'apiVersion: "v1"', 'kind: ConfigMap # a comment', 'metadata:', '  labels:', '    name: not-this', "  name: 'cm'", 'data: {}', '---', '# only a comment', ''].join('\n');
    expect(splitManifestFile(text).map((d) => d.identity)).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm' }]);
  });

  test('synth writes the text as vendored; toJson parses it for app.synth and tests', () => {
    const app = new App({ yamlOutputType: YamlOutputType.FILE_PER_CHART });
    const chart = new Chart(app, 'crds');
    const file = path.join(CRDS, 'gateway-api-inference-extension-v1.3.0.yaml');
    const objects = includeVerbatim(chart, file);
    const [[name, yaml]] = renderApp(app);
    expect(name).toBe('crds.k8s.yaml');
    expect(yaml).toBe(splitManifestFile(fs.readFileSync(file, 'utf8')).map((d) => d.text).join('---\n'));
    expect(objects[0].toJson()).toEqual(YAML.parse(splitManifestFile(fs.readFileSync(file, 'utf8'))[0].text));
    expect(YAML.parseAllDocuments(yaml).map((d) => d.toJS())).toEqual(chart.toJson());
  });

  test('only the vendored documents are kept as text', () => {
    const chart = new Chart(new App(), 'c');
    const [crd] = includeVerbatim(chart, path.join(CRDS, 'istio-1.28.0-telemetries.yaml'));
    expect(isVerbatim(crd)).toBe(true);
    expect(isVerbatim(new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' }))).toBe(false);
  });
});
