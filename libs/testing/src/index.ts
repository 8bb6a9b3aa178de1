/** Test-only helpers (never imported by app code; the lint rule enforces it). */
export * from './infra';
