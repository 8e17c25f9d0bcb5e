// A RAG pipeline traced with observe(): embed -> vector search -> rerank -> generate, each step an
// observation of its own type, with model and usage on the generation, the user, tags and
// metadata on the trace, and a context_relevance score. Fake embeddings and a canned answer.
// Run: npm run build && node examples/rag-pipeline.mjs
import {
  getCurrentTraceId,
  observe,
  register,
  scoreCurrentTrace,
  updateCurrentObservation,
  updateCurrentTrace,
} from 'spanlite';

const tracing = register({ serviceName: 'rag-demo' });

const corpus = [
  { id: 'doc-1', text: 'Spans are the building blocks of a trace.' },
  { id: 'doc-2', text: 'A generation is a span that calls a model.' },
  { id: 'doc-3', text: 'Scores rate a trace or one of its observations.' },
];

const embed = observe(
  async function embed(text) {
    updateCurrentObservation({ model: 'text-embedding-3-small', usage: { input: text.split(' ').length } });
    return Array.from(text).reduce((vector, char, i) => {
      vector[i % 4] += char.charCodeAt(0) / 1000;
      return vector;
    }, [0, 0, 0, 0]);
  },
  { type: 'EMBEDDING', captureOutput: false },
);

const vectorSearch = observe(
  async function vectorSearch(vector, topK) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    return corpus.slice(0, topK).map((doc, rank) => ({ ...doc, score: 0.9 - rank * 0.1 - vector[0] / 100 }));
  },
  { type: 'RETRIEVER' },
);

const rerank = observe(async function rerank(query, documents) {
  return [...documents].sort((a, b) => b.score - a.score).slice(0, 2);
});

const generate = observe(
  async function generate(query, documents) {
    const answer = `A generation is a span that calls a model (${documents.map((doc) => doc.id).join(', ')}).`;
    updateCurrentObservation({ usage: { input: 230, output: 18 } });
    return answer;
  },
  { type: 'GENERATION', model: 'gpt-4o-mini', modelParameters: { temperature: 0 } },
);

const answerQuestion = observe(
  async function ragPipeline(query) {
    updateCurrentTrace({ name: 'rag-query', userId: 'user_42', tags: ['rag', 'demo'], metadata: { index: 'docs-v1' } });
    const vector = await embed(query);
    const candidates = await vectorSearch(vector, 3);
    const context = await rerank(query, candidates);
    const answer = await generate(query, context);
    scoreCurrentTrace({ name: 'context_relevance', value: 0.91, comment: 'Both kept documents are on topic.' });
    console.log(`trace ${getCurrentTraceId()}: ${answer}`);
    return answer;
  },
  { type: 'CHAIN' },
);

await answerQuestion('What is a generation?');
await tracing.shutdown();
