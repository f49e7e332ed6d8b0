// Public surface of src/routing.
export * from './inference-route';
export * from './body-based-router';
