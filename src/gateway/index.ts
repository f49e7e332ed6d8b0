// Public surface of src/gateway.
export * from './gateway-types';
export * from './istio-gie-gateway';
export * from './istiod-values';
export {
  LLM_D_INFRA_CHART_NAME,
  DEFAULT_GATEWAY_RELEASE_NAME,
  DEFAULT_GATEWAY_NAME_SUFFIX,
  DEFAULT_GATEWAY_LISTENERS,
  DEFAULT_GATEWAY_PROXY_RESOURCES,
  DEFAULT_SERVING_CERT_SECRET_NAME,
  SUPPORTED_GATEWAY_CLASSES,
  ISTIO_INFERENCE_EXTPROC_LABEL,
  GATEWAY_NAME_POD_LABEL,
  gatewayFullname,
  gatewayServiceName,
  istioProxyArgs,
  listenerProblems,
  chartReferenceGrantTarget,
} from './gateway-rules';
export type { IstioGatewayClassName } from './gateway-rules';
