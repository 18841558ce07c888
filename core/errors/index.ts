export * from './error-codes';
export * from './unauthenticated.error';
export * from './forbidden.error';
export * from './bad-user-input.error';
export * from './not-found.error';
export * from './conflict.error';
export * from './rate-limited.error';
