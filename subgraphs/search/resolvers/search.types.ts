import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Document } from './document.types';

export enum SearchMode {
  HYBRID = 'HYBRID',
  SEMANTIC = 'SEMANTIC',
  KEYWORD = 'KEYWORD',
}
registerEnumType(SearchMode, {
  name: 'SearchMode',
  description:
    'KEYWORD: BM25 over the words; SEMANTIC: nearest embeddings; HYBRID: both, fused by rank',
});

@ObjectType({ description: 'A piece of a document as the search index holds it' })
export class Chunk {
  @Field(() => ID)
  id: string;

  @Field(() => Int, { description: 'Position of the chunk in its document, from 0' })
  index: number;

  @Field(() => Int, {
    nullable: true,
    description: 'The page it starts on, when the format has pages',
  })
  page: number | null;

  @Field(() => String)
  text: string;
}

@ObjectType()
export class SearchHit {
  @Field(() => Document)
  document: Document;

  @Field(() => Chunk)
  chunk: Chunk;

  @Field(() => Float, { description: 'Higher is better; comparable only within one result list' })
  score: number;

  @Field(() => String, {
    description:
      'The best passages of the chunk as HTML: its text escaped, the matched words in <mark></mark>',
  })
  highlight: string;
}

@ObjectType()
export class SearchResults {
  @Field(() => [SearchHit])
  hits: SearchHit[];

  @Field(() => Int)
  tookMs: number;
}

@ObjectType({ description: 'Where a statement of an answer comes from' })
export class Citation {
  @Field(() => Document)
  document: Document;

  @Field(() => Chunk)
  chunk: Chunk;

  @Field(() => String, { description: "An exact passage of the chunk's text" })
  quote: string;
}

@ObjectType()
export class Answer {
  @Field(() => String)
  answer: string;

  @Field(() => [Citation], { description: 'Only chunks that were retrieved for this question' })
  citations: Citation[];

  @Field(() => Boolean, {
    description: 'Whether the answer rests on the documents; false: nothing relevant was found',
  })
  grounded: boolean;

  @Field(() => Int)
  tookMs: number;
}

@ObjectType({ description: 'A piece of an answer as it is produced; the last has done and answer' })
export class AnswerDelta {
  @Field(() => String)
  text: string;

  @Field(() => Boolean)
  done: boolean;

  @Field(() => Answer, { nullable: true })
  answer: Answer | null;
}

@InputType({ description: 'Narrows search and ask to some documents; every given condition holds' })
export class SearchFilter {
  @Field(() => [ID], { nullable: true })
  documentIds?: string[] | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => [String], { nullable: true, description: 'A document must carry all of them' })
  tags?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'Documents created at or after' })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Documents created before' })
  createdBefore?: Date | null;
}
