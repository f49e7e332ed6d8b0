import { withDefaultRequests } from '../../src/core/quantities';

describe('withDefaultRequests', () => {
  test('adds a request only where neither request nor limit is set, and leaves its input alone', () => {
    const r = { limits: { memory: '16Gi' }, requests: { ephemeral: '1Gi' } };
    expect(withDefaultRequests(r, { cpu: '4', memory: '32Gi' })).toEqual({ limits: { memory: '16Gi' }, requests: { ephemeral: '1Gi', cpu: '4' } });
    expect(r.requests).toEqual({ ephemeral: '1Gi' });
  });

  test('a user request wins over the default', () => {
    expect(withDefaultRequests({ requests: { cpu: '8' } }, { cpu: '2', memory: '8Gi' })).toEqual({ requests: { cpu: '8', memory: '8Gi' } });
  });

  test('no empty requests map when every default is covered by a limit', () => {
    expect(withDefaultRequests({ limits: { cpu: 1, memory: '1Gi' } }, { cpu: '2', memory: '8Gi' })).toEqual({ limits: { cpu: 1, memory: '1Gi' } });
  });

  test('other fields (DRA claims) are kept', () => {
    const dra: { claims: { name: string }[]; requests?: Record<string, string> } = { claims: [{ name: 'rngd' }] };
    expect(withDefaultRequests(dra, { cpu: '2' })).toEqual({ claims: [{ name: 'rngd' }], requests: { cpu: '2' } });
  });
});
