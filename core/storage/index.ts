import type { Config } from '../config/config';
import { LocalObjectStorage } from './local/local-object-storage';
import type { ObjectStorage } from './object-storage';
import { S3ObjectStorage } from './s3/s3-object-storage';

export type { ObjectStorage, SignedRequest, StoredObjectInfo } from './object-storage';
export { LocalObjectStorage } from './local/local-object-storage';
export { S3ObjectStorage } from './s3/s3-object-storage';
export { localFileRoutes } from './local/file-routes';

/** The storage driver the configuration names (STORAGE). */
export function createObjectStorage(config: Config): ObjectStorage {
  if (config.STORAGE === 's3') {
    return new S3ObjectStorage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT || undefined,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      accessKeyId: config.S3_ACCESS_KEY_ID || undefined,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY || undefined,
    });
  }
  return new LocalObjectStorage({
    dataDir: config.DATA_DIR,
    publicUrl: config.PUBLIC_URL,
    signingSecret: config.JWT_SECRET,
  });
}
