// Public surface of src/routing (filled in by its constructs).
export {};
