// The EPP container's ports, fixed by the image and the chart (only the Service ports are options).
export const GRPC_PORT = 9002;
export const GRPC_HEALTH_PORT = 9003;
export const METRICS_PORT = 9090;
