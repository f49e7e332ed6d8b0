// Public surface of src/stack (filled in by its constructs).
export {};
