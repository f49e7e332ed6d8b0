// Public surface of src/storage. (Model URI parsing, src/storage/model-uri.ts, is exported from
// src/model-service/index.ts.)
export * from './model-pvc-downloader';
export * from './hub-client';
export * from './download-program';
