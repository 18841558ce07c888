import type { SubgraphRuntime } from '../../../core/graphql/subgraph';
import { CategoryRepository } from './category.repository';
import { CreateTextDocumentService } from './create-text-document.service';
import { DeleteDocumentService } from './delete-document.service';
import { DocumentRepository } from './document.repository';
import { GetDocumentService } from './get-document.service';
import { ListCategoriesService } from './list-categories.service';
import { ListDocumentsService } from './list-documents.service';
import { ReadDocumentTextService } from './read-document-text.service';
import { SetCategoriesService } from './set-categories.service';
import { UpdateDocumentService } from './update-document.service';
import { createRedis } from '../../../core/redis/redis';
import { createObjectStorage } from '../../../core/storage';
import { PipelineQueue } from '../jobs/pipeline-jobs';
import { CompleteUploadService } from './complete-upload.service';
import { CreateUploadService } from './create-upload.service';
import type { Ingestion } from './ingestion';
import { ReprocessDocumentService } from './reprocess-document.service';
import { SignDownloadService } from './sign-download.service';

/** The documents subgraph's operations, one service each. */
export interface DocumentServices {
  getDocument: GetDocumentService;
  listDocuments: ListDocumentsService;
  readDocumentText: ReadDocumentTextService;
  createTextDocument: CreateTextDocumentService;
  updateDocument: UpdateDocumentService;
  deleteDocument: DeleteDocumentService;
  listCategories: ListCategoriesService;
  setCategories: SetCategoriesService;
  createUpload: CreateUploadService;
  completeUpload: CompleteUploadService;
  reprocessDocument: ReprocessDocumentService;
  signDownload: SignDownloadService;
  /** Closes the pipeline queue's Redis connection (the subgraph's stop calls it). */
  close: () => Promise<void>;
}

export function createDocumentServices(runtime: SubgraphRuntime): DocumentServices {
  const { dataSource, config } = runtime;
  // BullMQ needs a connection without ioredis' keyPrefix: one of its own.
  const connection = createRedis(config.REDIS_URL);
  connection.on('error', (error) => runtime.logger.warn({ err: error }, 'redis connection error'));
  const ingestion: Ingestion = {
    storage: createObjectStorage(config),
    pipeline: new PipelineQueue(connection, config.REDIS_PREFIX, { attempts: config.PIPELINE_ATTEMPTS }),
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    uploadUrlTtlSeconds: config.UPLOAD_URL_TTL_SECONDS,
    downloadUrlTtlSeconds: config.DOWNLOAD_URL_TTL_SECONDS,
  };
  const documents = new DocumentRepository(dataSource);
  const categories = new CategoryRepository(dataSource);
  return {
    getDocument: new GetDocumentService(documents),
    listDocuments: new ListDocumentsService(documents),
    readDocumentText: new ReadDocumentTextService(documents),
    createTextDocument: new CreateTextDocumentService(dataSource, ingestion),
    updateDocument: new UpdateDocumentService(dataSource, documents, categories),
    deleteDocument: new DeleteDocumentService(dataSource, documents, ingestion),
    listCategories: new ListCategoriesService(categories),
    setCategories: new SetCategoriesService(dataSource, categories),
    createUpload: new CreateUploadService(dataSource, ingestion),
    completeUpload: new CompleteUploadService(dataSource, documents, ingestion),
    reprocessDocument: new ReprocessDocumentService(dataSource, documents, ingestion),
    signDownload: new SignDownloadService(ingestion),
    close: async () => {
      await ingestion.pipeline.close();
      connection.disconnect();
    },
  };
}
