/**
 * Prefill/decode with vLLM moves the prefill's KV cache to the decode pod: the routing sidecar
 * (`--connector=nixlv2`) asks the prefill pod to keep it, and vLLM on both roles must run the
 * matching KV connector, as llm-d's P/D guide configures it: `--kv-transfer-config
 * {"kv_connector":"NixlConnector","kv_role":"kv_both"}` and the NIXL side channel on the pod's
 * own IP (`VLLM_NIXL_SIDE_CHANNEL_HOST` from `status.podIP`). Without it decode pods never receive
 * the prefill's cache and recompute every prompt.
 */
import type { Problem } from '../core/errors';
import { KV_TRANSFER_FLAG, kvConnectorOf, kvTransferConfigOf } from '../core/vllm-args';
import type { EnvVar } from '../model-service/k8s-types';
import type { ModelServiceRoleOptions } from '../model-service/model-service-options';

/** The vLLM KV connector each routing-sidecar connector needs (llm-d-routing-sidecar `--connector`). */
const VLLM_CONNECTOR: Readonly<Record<string, string>> = { nixlv2: 'NixlConnector', nixl: 'NixlConnector' };
/** The NIXL side channel listens on this address; other pods reach it on the pod IP. */
const SIDE_CHANNEL_HOST_ENV: EnvVar = { name: 'VLLM_NIXL_SIDE_CHANNEL_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } };

/**
 * Both roles' options with the KV connector the routing sidecar's connector needs on the vLLM
 * container (the first), unless already given; problems for a given connector that does not match.
 */
export function withKvTransfer(sidecarConnector: string, roles: { decode?: ModelServiceRoleOptions; prefill?: ModelServiceRoleOptions }, field: string): { decode?: ModelServiceRoleOptions; prefill?: ModelServiceRoleOptions; problems: Problem[] } {
  const wanted = VLLM_CONNECTOR[sidecarConnector];
  const problems: Problem[] = [];
  if (wanted === undefined || roles.prefill === undefined) return { ...roles, problems };
  const config = JSON.stringify({ kv_connector: wanted, kv_role: 'kv_both' });
  const configure = (role: 'decode' | 'prefill'): ModelServiceRoleOptions => {
    const o = roles[role] ?? {};
    const containers = o.containers ?? [{}];
    return {
      ...o,
      containers: containers.map((c, i) => {
        if (i !== 0) return c;
        const args = c.args ?? [];
        const given = kvTransferConfigOf(args);
        const env = c.env ?? [];
        const withHost = env.some((e) => e.name === SIDE_CHANNEL_HOST_ENV.name) ? env : [...env, SIDE_CHANNEL_HOST_ENV];
        if (given !== undefined) {
          const connector = kvConnectorOf(given);
          if (connector !== wanted) {
            problems.push({
              field: `${field}.${role}.containers[0].args`,
              value: given,
              allowed: `${KV_TRANSFER_FLAG} ${config} (or leave it out: the stack sets it)`,
              why: `the routing sidecar runs --connector=${sidecarConnector}, which hands the KV cache over with vLLM's ${wanted}; with ${connector ?? 'this value'} the decode pods never receive the prefill's cache`,
            });
          }
          return { ...c, env: withHost };
        }
        return { ...c, args: [KV_TRANSFER_FLAG, config, ...args], env: withHost };
      }),
    };
  };
  return { decode: configure('decode'), prefill: configure('prefill'), problems };
}
