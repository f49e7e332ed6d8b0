// Public surface of src/routing.
export * from './inference-route';
