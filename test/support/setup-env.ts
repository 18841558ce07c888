import 'reflect-metadata';

// Tests never report anywhere and log only failures.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';
