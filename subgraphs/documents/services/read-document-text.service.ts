import type { Principal } from '../../../core/auth/principal';
import type { DocumentRepository } from './document.repository';
import type { TextWindow } from './text-window';

/**
 * One window of many documents' text in one query (the `text` field of a whole page), read
 * through the visibility scope like every other read. Answers in the order of `ids`; null for
 * a document without text or out of sight.
 */
export class ReadDocumentTextService {
  constructor(private readonly documents: DocumentRepository) {}

  async execute(
    principal: Principal,
    ids: readonly string[],
    window: TextWindow,
  ): Promise<(string | null)[]> {
    const rows: { id: string; text: string | null }[] = await this.documents
      .visible(principal)
      .select('d.id', 'id')
      // substr counts characters (code points) from 1, as characterCount does.
      .addSelect('substr(d.text, :start, :length)', 'text')
      .andWhere('d.id IN (:...ids)', { ids: [...new Set(ids)] })
      .setParameters({ start: window.offset + 1, length: window.limit })
      .getRawMany();
    const texts = new Map(rows.map((row) => [row.id, row.text]));
    return ids.map((id) => texts.get(id) ?? null);
  }
}
