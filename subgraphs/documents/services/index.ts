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
}

export function createDocumentServices(runtime: SubgraphRuntime): DocumentServices {
  const { dataSource } = runtime;
  const documents = new DocumentRepository(dataSource);
  const categories = new CategoryRepository(dataSource);
  return {
    getDocument: new GetDocumentService(documents),
    listDocuments: new ListDocumentsService(documents),
    readDocumentText: new ReadDocumentTextService(documents),
    createTextDocument: new CreateTextDocumentService(dataSource),
    updateDocument: new UpdateDocumentService(dataSource, documents, categories),
    deleteDocument: new DeleteDocumentService(dataSource, documents),
    listCategories: new ListCategoriesService(categories),
    setCategories: new SetCategoriesService(dataSource, categories),
  };
}
