// Public surface of src/model-service (filled in by its constructs).
export {};
