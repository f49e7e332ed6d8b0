// Public surface of src/scheduler (filled in by its constructs).
export {};
