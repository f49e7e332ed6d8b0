/**
 * The Envoy proxy of a standalone endpoint picker (llm-d-router v0.10 `llm-d-router-standalone`):
 * its envoy.yaml (listener on 8081 with the ext_proc filter pointed at the EPP, original-destination
 * routing on the header the EPP sets), its container, and in `service` mode its own Deployment and
 * Service. Built as data from a few inputs so the config stays reviewable and testable.
 */
import type { EppResources } from './types';

/** Envoy's listener port (the `http` Service port targets it). */
export const ENVOY_LISTENER_PORT = 8081;
/** Envoy's readiness and stats listener. */
export const ENVOY_READY_PORT = 19001;
const ENVOY_ADMIN_PORT = 19000;
export const DEFAULT_ENVOY_IMAGE = 'docker.io/envoyproxy/envoy:distroless-v1.33.2';
export const DEFAULT_ENVOY_ARGS: readonly string[] = [
  '--service-node', 'envoy-proxy', '--log-level', 'warn', '--cpuset-threads',
  '--drain-strategy', 'immediate', '--drain-time-s', '60', '-c', '/etc/envoy/envoy.yaml',
];
export const DEFAULT_PROXY_RESOURCES: EppResources = { requests: { cpu: '4', memory: '8Gi' }, limits: { memory: '16Gi' } };

type Json = Record<string, unknown>;

/** What envoy.yaml depends on. */
export interface EnvoyConfigInput {
  /** Pass requests through when the EPP is unreachable. */
  readonly failOpen: boolean;
  /** Where the EPP's ext_proc listens: loopback (sidecar) or the EPP Service FQDN (service mode). */
  readonly extProcHost: string;
  /** `STATIC` for loopback, `STRICT_DNS` for a Service name. */
  readonly extProcClusterType: 'STATIC' | 'STRICT_DNS';
  /** The EPP serves ext_proc over TLS (unless `--secure-serving=false`). */
  readonly eppTls: boolean;
}

const typed = (type: string, rest: Json = {}): Json => ({ '@type': `type.googleapis.com/${type}`, ...rest });
const socket = (address: string, port: number): Json => ({ socket_address: { address, port_value: port } });
const ACCESS_LOG_FORMAT = '{"start_time":"%START_TIME%","method":"%REQ(:METHOD)%",...}\n';
const fileLog = (path: string, format: boolean): Json =>
  typed('envoy.extensions.access_loggers.file.v3.FileAccessLog', { path, ...(format ? { log_format: { text_format_source: { inline_string: ACCESS_LOG_FORMAT } } } : {}) });
const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';
const LIMITS = { max_connections: 40000, max_pending_requests: 40000, max_requests: 40000 };
const H2_WINDOWS = { initial_stream_window_size: 65536, initial_connection_window_size: 1048576 };

function readyListener(): Json {
  return {
    name: `envoy-proxy-ready-0.0.0.0-${ENVOY_READY_PORT}`,
    address: socket('0.0.0.0', ENVOY_READY_PORT),
    additional_addresses: [{ address: socket('::', ENVOY_READY_PORT) }],
    filter_chains: [{
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: typed(HCM, {
          stat_prefix: 'envoy-ready-http',
          route_config: { name: 'local_route', virtual_hosts: [{ name: 'prometheus_stats', domains: ['*'], routes: [{ match: { prefix: '/stats/prometheus' }, route: { cluster: 'prometheus_stats' } }] }] },
          http_filters: [
            { name: 'envoy.filters.http.health_check', typed_config: typed('envoy.extensions.filters.http.health_check.v3.HealthCheck', { pass_through_mode: false, headers: [{ name: ':path', string_match: { exact: '/ready' } }] }) },
            { name: 'envoy.filters.http.router', typed_config: typed(ROUTER) },
          ],
        }),
      }],
    }],
  };
}

function trafficListener(i: EnvoyConfigInput): Json {
  return {
    name: 'vllm',
    address: socket('0.0.0.0', ENVOY_LISTENER_PORT),
    additional_addresses: [{ address: socket('::', ENVOY_LISTENER_PORT) }],
    per_connection_buffer_limit_bytes: 32768,
    access_log: [{ name: 'envoy.access_loggers.file', filter: { response_flag_filter: { flags: ['NR'] } }, typed_config: fileLog('/dev/stdout', true) }],
    filter_chains: [{
      name: 'vllm',
      filters: [{
        name: 'envoy.filters.network.http_connection_manager',
        typed_config: typed(HCM, {
          stat_prefix: `http-${ENVOY_LISTENER_PORT}`,
          route_config: {
            name: 'vllm',
            virtual_hosts: [{
              name: 'vllm-default',
              domains: ['*'],
              routes: [{
                match: { prefix: '/' },
                route: { cluster: 'original_destination_cluster', timeout: '86400s', idle_timeout: '86400s', upgrade_configs: [{ upgrade_type: 'websocket' }] },
                typed_per_filter_config: { 'envoy.filters.http.ext_proc': typed('envoy.config.route.v3.FilterConfig', { config: {} }) },
              }],
            }],
          },
          http_filters: [
            {
              name: 'envoy.filters.http.ext_proc',
              typed_config: typed('envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor', {
                failure_mode_allow: i.failOpen,
                grpc_service: { envoy_grpc: { cluster_name: 'ext_proc', authority: 'localhost:9002' }, timeout: '10s' },
                processing_mode: {
                  request_header_mode: 'SEND', response_header_mode: 'SEND',
                  request_body_mode: 'FULL_DUPLEX_STREAMED', response_body_mode: 'FULL_DUPLEX_STREAMED',
                  request_trailer_mode: 'SEND', response_trailer_mode: 'SEND',
                },
                message_timeout: '1000s',
              }),
            },
            { name: 'envoy.filters.http.router', typed_config: typed(ROUTER, { suppress_envoy_headers: true }) },
          ],
          http2_protocol_options: { max_concurrent_streams: 100, ...H2_WINDOWS },
          use_remote_address: true,
          normalize_path: true,
          merge_slashes: true,
          server_header_transformation: 'PASS_THROUGH',
          common_http_protocol_options: { headers_with_underscores_action: 'REJECT_REQUEST' },
          path_with_escaped_slashes_action: 'UNESCAPE_AND_REDIRECT',
          access_log: [{ name: 'envoy.access_loggers.file', typed_config: fileLog('/dev/stdout', true) }],
        }),
      }],
    }],
  };
}

function extProcCluster(i: EnvoyConfigInput): Json {
  return {
    name: 'ext_proc',
    type: i.extProcClusterType,
    connect_timeout: '86400s',
    lb_policy: 'LEAST_REQUEST',
    circuit_breakers: { thresholds: [{ ...LIMITS, max_retries: 1024 }] },
    health_checks: [{
      timeout: '2s', interval: '10s', unhealthy_threshold: 3, healthy_threshold: 2, reuse_connection: true,
      grpc_health_check: { service_name: 'envoy.service.ext_proc.v3.ExternalProcessor' },
      ...(i.eppTls ? { tls_options: { alpn_protocols: ['h2'] } } : {}),
    }],
    // The EPP's certificate is self-signed: TLS without verification, as the chart does.
    ...(i.eppTls ? { transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: typed('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', { common_tls_context: {} }) } } : {}),
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': typed('envoy.extensions.upstreams.http.v3.HttpProtocolOptions', { explicit_http_config: { http2_protocol_options: { ...H2_WINDOWS } } }),
    },
    load_assignment: {
      cluster_name: 'ext_proc',
      endpoints: [{ locality: { region: 'ext_proc/e2e/0' }, lb_endpoints: [{ endpoint: { address: socket(i.extProcHost, 9002) }, load_balancing_weight: 1 }] }],
    },
  };
}

/** envoy.yaml of the standalone proxy, as data. */
export function envoyConfig(i: EnvoyConfigInput): Json {
  return {
    admin: { address: socket('127.0.0.1', ENVOY_ADMIN_PORT), access_log: [{ name: 'envoy.access_loggers.file', typed_config: fileLog('/dev/null', false) }] },
    static_resources: {
      listeners: [readyListener(), trafficListener(i)],
      clusters: [
        { name: 'prometheus_stats', type: 'STATIC', connect_timeout: '0.250s', load_assignment: { cluster_name: 'prometheus_stats', endpoints: [{ lb_endpoints: [{ endpoint: { address: socket('127.0.0.1', ENVOY_ADMIN_PORT) } }] }] } },
        {
          name: 'original_destination_cluster',
          type: 'ORIGINAL_DST',
          connect_timeout: '1000s',
          lb_policy: 'CLUSTER_PROVIDED',
          circuit_breakers: { thresholds: [{ ...LIMITS }] },
          // The EPP names the chosen endpoint in this header; Envoy connects to it directly.
          original_dst_lb_config: { use_http_header: true, http_header_name: 'x-gateway-destination-endpoint' },
        },
        extProcCluster(i),
      ],
    },
  };
}

/** What the Envoy container is made of. */
export interface EnvoyContainerInput {
  readonly image: string;
  readonly args: readonly string[];
  readonly resources: EppResources;
}

/** The Envoy container (sidecar or the proxy Deployment's), with its config volume mounted at /etc/envoy. */
export function envoyContainer(i: EnvoyContainerInput): Json {
  return {
    name: 'envoy-proxy',
    image: i.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['envoy'],
    args: [...i.args],
    env: [
      { name: 'NS_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    ports: [{ containerPort: ENVOY_LISTENER_PORT, name: `http-${ENVOY_LISTENER_PORT}` }, { containerPort: ENVOY_READY_PORT, name: `metrics-${ENVOY_READY_PORT}` }],
    readinessProbe: { failureThreshold: 1, httpGet: { path: '/ready', port: ENVOY_READY_PORT, scheme: 'HTTP' }, periodSeconds: 5, successThreshold: 1, timeoutSeconds: 1 },
    resources: i.resources,
    volumeMounts: [{ name: 'config', mountPath: '/etc/envoy', readOnly: true }],
  };
}

/** The pod volume carrying envoy.yaml. */
export function envoyConfigVolume(configMapName: string): Json {
  return { name: 'config', configMap: { name: configMapName, items: [{ key: 'envoy.yaml', path: 'envoy.yaml' }] } };
}
