// An async pipeline whose two searches run in parallel (Promise.all): both appear as siblings
// under the pipeline, each with its own children, however their awaits interleave.
// Run: npm run build && node examples/parallel-search.mjs
import { getCurrentTraceId, observe, register, updateCurrentTrace } from 'spanlite';

const tracing = register({ serviceName: 'parallel-demo' });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const fetchPage = observe(async function fetchPage(url) {
  await sleep(10);
  return `<html>${url}</html>`;
}, { type: 'TOOL' });

const webSearch = observe(
  async function webSearch(query) {
    await sleep(15);
    const pages = await Promise.all(['https://a.example', 'https://b.example'].map((url) => fetchPage(url)));
    return pages.map((page) => ({ source: 'web', snippet: page.slice(0, 30), query }));
  },
  { type: 'RETRIEVER' },
);

const docsSearch = observe(
  async function docsSearch(query) {
    await sleep(8);
    return [{ source: 'docs', snippet: `Docs entry about ${query}` }];
  },
  { type: 'RETRIEVER' },
);

const summarise = observe(
  async function summarise(results) {
    await sleep(5);
    return `Found ${results.length} results; the docs say: ${results.find((r) => r.source === 'docs')?.snippet}`;
  },
  { type: 'GENERATION', model: 'gpt-4o-mini' },
);

const pipeline = observe(
  async function researchPipeline(query) {
    updateCurrentTrace({ userId: 'user_7', sessionId: 'session_parallel', tags: ['parallel'] });
    const [web, docs] = await Promise.all([webSearch(query), docsSearch(query)]);
    const summary = await summarise([...web, ...docs]);
    console.log(`trace ${getCurrentTraceId()}: ${summary}`);
    return summary;
  },
  { type: 'AGENT' },
);

await pipeline('span processors');
await tracing.shutdown();
