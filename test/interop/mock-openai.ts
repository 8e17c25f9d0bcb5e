/**
 * A local OpenAI-compatible server standing in for the provider in the SDK interop tests, on an
 * ephemeral 127.0.0.1 port: `/v1/chat/completions` (plain and streamed, with the final usage
 * chunk of `stream_options.include_usage`, one tool call when tools are offered, a JSON object
 * when `response_format` asks for one) and
 * `/v1/embeddings`. Usage always reports cached and reasoning tokens, so every SDK's path for
 * them is exercised.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What every chat completion reports (inclusive counts, as OpenAI sends them). */
export const CHAT_USAGE = {
  promptTokens: 120,
  cachedTokens: 100,
  completionTokens: 40,
  reasoningTokens: 10,
} as const;
export const EMBEDDING_PROMPT_TOKENS = 8;
/** The model OpenAI answers with: a dated snapshot of the one asked for. */
export const RESPONSE_MODEL_SUFFIX = '-2024-07-18';
export const ANSWER = 'Paris is the capital of France.';
/** The answer when a JSON response is asked for (`response_format`: generateObject / streamObject). */
export const OBJECT_ANSWER = { capital: 'Paris' };
export const TOOL_NAME = 'get_weather';
export const TOOL_RESULT = { city: 'Paris', temperatureC: 21 };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
}

export interface MockOpenAi {
  /** Base URL including `/v1`, as SDKs take it. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startMockOpenAi(): Promise<MockOpenAi> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((request, response) => {
    void handle(request, response, requests).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, requests: RecordedRequest[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const body = text === '' ? {} : JSON.parse(text);
  const path = (request.url ?? '').split('?')[0]!;
  requests.push({ path, headers: request.headers, body });

  if (request.method === 'POST' && path === '/v1/chat/completions') return chat(body, response);
  if (request.method === 'POST' && path === '/v1/embeddings') return embeddings(body, response);
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end(JSON.stringify({ error: { message: `no route ${request.method} ${path}` } }));
}

function usage(): Record<string, unknown> {
  return {
    prompt_tokens: CHAT_USAGE.promptTokens,
    completion_tokens: CHAT_USAGE.completionTokens,
    total_tokens: CHAT_USAGE.promptTokens + CHAT_USAGE.completionTokens,
    prompt_tokens_details: { cached_tokens: CHAT_USAGE.cachedTokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: CHAT_USAGE.reasoningTokens, audio_tokens: 0 },
  };
}

/** A tool call when tools are offered and no tool result came back yet; else the answer. */
function wantsToolCall(body: any): boolean {
  const offered = Array.isArray(body.tools) && body.tools.length > 0;
  const answered = Array.isArray(body.messages) && body.messages.some((m: any) => m.role === 'tool');
  return offered && !answered;
}

function chat(body: any, response: ServerResponse): void {
  const model = `${body.model}${RESPONSE_MODEL_SUFFIX}`;
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const created = Math.floor(Date.now() / 1000);
  const toolCall = wantsToolCall(body)
    ? { id: 'call_1', type: 'function', function: { name: TOOL_NAME, arguments: JSON.stringify({ city: 'Paris' }) } }
    : undefined;
  const finishReason = toolCall ? 'tool_calls' : 'stop';
  const content = body.response_format?.type?.startsWith('json') === true ? JSON.stringify(OBJECT_ANSWER) : ANSWER;

  if (body.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: toolCall
              ? { role: 'assistant', content: null, tool_calls: [toolCall] }
              : { role: 'assistant', content },
            finish_reason: finishReason,
          },
        ],
        usage: usage(),
      }),
    );
    return;
  }

  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (delta: unknown, finish: string | null, extra: Record<string, unknown> = {}): void => {
    const chunk = { id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra };
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  if (toolCall) {
    send({ role: 'assistant', content: null, tool_calls: [{ index: 0, ...toolCall }] }, null);
  } else {
    send({ role: 'assistant', content: '' }, null);
    for (const word of content.split(/(?<= )/)) send({ content: word }, null);
  }
  send({}, finishReason);
  if (body.stream_options?.include_usage === true) {
    response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: usage() })}\n\n`);
  }
  response.end('data: [DONE]\n\n');
}

function embeddings(body: any, response: ServerResponse): void {
  const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(
    JSON.stringify({
      object: 'list',
      model: body.model,
      data: inputs.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, 0.3] })),
      usage: { prompt_tokens: EMBEDDING_PROMPT_TOKENS, total_tokens: EMBEDDING_PROMPT_TOKENS },
    }),
  );
}
