// cdk8s writes a chart's namespace into every object it holds.
import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/** cdk8s gives every object the chart's namespace; cluster-scoped kinds must not carry one. */
export function clusterScoped(obj: ApiObject): ApiObject {
  if (Chart.of(obj).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return obj;
}

