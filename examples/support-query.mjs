// A support question traced with the manual API: a trace with user, session, tags and metadata;
// a retrieval span, an LLM generation with usage, a rerank event and a helpfulness score.
// No LLM is called: outputs are canned. Run: npm run build && node examples/support-query.mjs
import { register, startTrace } from 'spanlite';

const tracing = register({ serviceName: 'support-bot' });

const question = 'How do I reset my password?';
const trace = startTrace({
  name: 'support-query',
  userId: 'user_123',
  sessionId: 'session_abc',
  metadata: { plan: 'pro' },
  tags: ['support', 'production'],
  input: { question },
});

const retrieval = trace.span({ name: 'retrieval', input: { query: question } });
const documents = [
  { id: 'kb-12', text: 'Open Settings > Security and choose "Reset password".' },
  { id: 'kb-40', text: 'Reset links expire after 30 minutes.' },
];
retrieval.end({ output: { documents } });

trace.event({ name: 'rerank', data: { kept: documents.map((doc) => doc.id), dropped: 0 } });

const generation = trace.generation({
  name: 'llm-answer',
  model: 'gpt-4o-mini',
  modelParameters: { temperature: 0.2 },
  input: [
    { role: 'system', content: 'Answer from the documents.' },
    { role: 'user', content: question },
  ],
});
const answer = 'Go to Settings > Security and choose "Reset password"; the link is valid for 30 minutes.';
generation.end({ output: { role: 'assistant', content: answer }, usage: { input: 120, output: 40 } });

trace.score({ name: 'helpfulness', value: 0.92, comment: 'Correct steps, mentions the expiry.' });
trace.end({ output: { answer } });

await tracing.shutdown();
console.log(`trace ${trace.id} sent`);
