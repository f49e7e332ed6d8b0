/**
 * vLLM's `--kv-transfer-config`, read the way vLLM reads it: the value after the flag (or after
 * `=`), a JSON object whose `kv_connector` names the connector. Shared by the stack that sets it
 * and the system model that checks it.
 */

/** The flag. */
export const KV_TRANSFER_FLAG = '--kv-transfer-config';

/** The `--kv-transfer-config` value in `args`, if any. */
export function kvTransferConfigOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === KV_TRANSFER_FLAG) return args[i + 1] ?? '';
    if (args[i].startsWith(`${KV_TRANSFER_FLAG}=`)) return args[i].slice(KV_TRANSFER_FLAG.length + 1);
  }
  return undefined;
}

/** The connector of a `--kv-transfer-config` value, or undefined when it is not JSON with one. */
export function kvConnectorOf(config: string): string | undefined {
  try {
    const parsed = JSON.parse(config) as { kv_connector?: unknown };
    return typeof parsed?.kv_connector === 'string' ? parsed.kv_connector : undefined;
  } catch {
    return undefined;
  }
}
