import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { peersOf, registerPeer } from '../../src/core/peers';

describe('peersOf', () => {
  test('finds the others under the same key and root, in tree order, not removed ones', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const late = new Construct(chart, 'a-late'); // created first, filled last
    const x = new Construct(chart, 'x');
    const y = new Construct(chart, 'y');
    const z = new Construct(late, 'z');
    const other = new Construct(chart, 'other');
    for (const c of [x, y, z]) registerPeer(c, 'k');
    registerPeer(other, 'different');

    // Tree order (as root.node.findAll() lists them), not registration order.
    expect(peersOf(x, 'k')).toEqual([z, y]);
    expect(peersOf(other, 'k').map((c) => c.node.path)).toEqual(['c/a-late/z', 'c/x', 'c/y']);
    expect(peersOf(other, 'different')).toEqual([]);
    expect(peersOf(x, 'missing')).toEqual([]);

    late.node.tryRemoveChild('z');
    expect(peersOf(x, 'k')).toEqual([y]);
    chart.node.tryRemoveChild('y');
    expect(peersOf(x, 'k')).toEqual([]);
  });

  test('two apps do not see each other', () => {
    const a = new Construct(new App(), 'a');
    const b = new Construct(new App(), 'b');
    registerPeer(a, 'k');
    registerPeer(b, 'k');
    expect(peersOf(a, 'k')).toEqual([]);
    expect(peersOf(b, 'k')).toEqual([]);
  });
});
