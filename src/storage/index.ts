// Public surface of src/storage (filled in by its constructs).
export {};
