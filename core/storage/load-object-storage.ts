import type { Config } from '../config/config';
import type { ObjectStorage } from './object-storage';

/**
 * The configured storage driver, loaded on call: importing a worker module must not load the S3
 * SDK where the local driver is used (or before a test has passed its own storage).
 */
export function loadObjectStorage(config: Config): ObjectStorage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./index') as typeof import('./index')).createObjectStorage(config);
}
