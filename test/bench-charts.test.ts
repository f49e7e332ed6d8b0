/** `npm run bench` times helm on the chart sources vendored under bench/charts: a fresh clone has them. */
import * as fs from 'fs';
import * as path from 'path';

const BENCH = path.join(__dirname, '..', 'bench');

test('every chart the bench renders is vendored, with its subcharts, where the bench looks by default', () => {
  const script = fs.readFileSync(path.join(BENCH, 'bench.js'), 'utf8');
  expect(script).toContain("process.env.LLMD_BENCH_CHARTS || path.join(__dirname, 'charts')");
  const charts = [...script.matchAll(/\['(?:ms|gaie|llm-d-infra)', '([\w-]+)', '[\w-]+'\]/g)].map((m) => m[1]);
  expect(charts).toEqual(['furiosa-modelservice', 'inferencepool', 'llm-d-infra']);
  for (const chart of charts) {
    const dir = path.join(BENCH, 'charts', chart);
    expect(fs.existsSync(path.join(dir, 'Chart.yaml'))).toBe(true);
    const deps = /^dependencies:/m.test(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'));
    if (deps) expect(fs.readdirSync(path.join(dir, 'charts')).filter((f) => f.endsWith('.tgz')).length).toBeGreaterThan(0);
  }
});
