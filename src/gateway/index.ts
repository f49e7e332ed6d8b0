// Public surface of src/gateway (filled in by its constructs).
export {};
