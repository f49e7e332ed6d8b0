import { checkApp } from 'cdk8s-llm-d/testing';
import { Testing } from 'cdk8s';
import { buildApp } from './main';

test('the chat front end reaches the inference gateway and DNS, and nothing else', () => {
  const { app, frontEnd } = buildApp(Testing.app().outdir);
  expect(checkApp(app).filter((f) => f.severity === 'error')).toEqual([]);
  const policies = Testing.synth(frontEnd).filter((o) => o.kind === 'NetworkPolicy');
  expect(policies.length).toBeGreaterThan(0);
  expect(policies).toMatchSnapshot();
});
