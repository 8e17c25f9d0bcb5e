/**
 * Recognises chat messages in an observation's input or output, whatever convention sent them,
 * so they read as a conversation: OpenAI's (`content`, `tool_calls`, `tool_call_id`), the OTel
 * GenAI semconv's (`parts` of text / tool_call / tool_call_response), Anthropic's content blocks
 * (`tool_use`, `tool_result`), the Vercel AI SDK's (`tool-call`, `tool-result`), choices
 * (`{ message: {...} }`) and `{ messages: [...] }` wrappers. Anything else is not chat (null).
 */

export interface ToolCall {
  id: string | null;
  name: string;
  /** Parsed when it was JSON text. */
  arguments: unknown;
}

export interface ChatMessage {
  role: string;
  name: string | null;
  /** The text parts joined; null when the message has none (a tool call only). */
  text: string | null;
  toolCalls: ToolCall[];
  /** For a tool result: the call it answers. */
  toolCallId: string | null;
  /** Parts that are neither text nor tool calls (images, files...), kept to show as JSON. */
  otherParts: unknown[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** JSON text parsed; other text as it is. */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

/** The messages in `value`, or null when it is not a conversation. */
export function asChatMessages(value: unknown): ChatMessage[] | null {
  const parsed = parseMaybeJson(value);
  const list = Array.isArray(parsed)
    ? parsed
    : isObject(parsed) && Array.isArray(parsed.messages)
      ? parsed.messages
      : isObject(parsed) && (isObject(parsed.message) || typeof parsed.role === 'string')
        ? [parsed]
        : null;
  if (list === null || list.length === 0) return null;
  const messages: ChatMessage[] = [];
  for (const item of list) {
    const message = toMessage(item);
    if (message === null) return null;
    messages.push(message);
  }
  return messages;
}

function toMessage(item: unknown): ChatMessage | null {
  if (!isObject(item)) return null;
  // A choice: { index, finish_reason, message: { role, content } }.
  const raw = isObject(item.message) && typeof item.role !== 'string' ? item.message : item;
  const role = stringOf(raw.role);
  if (role === null) return null;
  const message: ChatMessage = {
    role,
    name: stringOf(raw.name),
    text: null,
    toolCalls: [],
    toolCallId: stringOf(raw.tool_call_id) ?? stringOf(raw.toolCallId),
    otherParts: [],
  };
  const texts: string[] = [];
  const content = raw.content ?? raw.parts;
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) for (const part of content) readPart(part, message, texts);
  else if (content !== undefined && content !== null) message.otherParts.push(content);
  if (Array.isArray(raw.tool_calls)) {
    for (const call of raw.tool_calls) {
      if (!isObject(call)) continue;
      const fn = isObject(call.function) ? call.function : call;
      message.toolCalls.push({ id: stringOf(call.id), name: stringOf(fn.name) ?? 'tool', arguments: parseMaybeJson(fn.arguments) });
    }
  }
  message.text = texts.length > 0 ? texts.join('\n') : null;
  return message;
}

function readPart(part: unknown, message: ChatMessage, texts: string[]): void {
  if (typeof part === 'string') {
    texts.push(part);
    return;
  }
  if (!isObject(part)) return;
  switch (part.type) {
    case 'text':
    case 'input_text':
    case 'output_text':
    case 'reasoning': {
      const text = stringOf(part.text) ?? stringOf(part.content);
      if (text !== null) texts.push(text);
      else message.otherParts.push(part);
      return;
    }
    case 'tool_call': // OTel GenAI
    case 'tool_use': // Anthropic
    case 'tool-call': // Vercel AI SDK
      message.toolCalls.push({
        id: stringOf(part.id) ?? stringOf(part.toolCallId),
        name: stringOf(part.name) ?? stringOf(part.toolName) ?? 'tool',
        arguments: parseMaybeJson(part.arguments ?? part.input ?? part.args),
      });
      return;
    case 'tool_call_response':
    case 'tool_result':
    case 'tool-result': {
      message.toolCallId ??= stringOf(part.id) ?? stringOf(part.tool_use_id) ?? stringOf(part.toolCallId);
      const result = part.response ?? part.result ?? part.content ?? part.output;
      if (typeof result === 'string') texts.push(result);
      else message.otherParts.push(result);
      return;
    }
    default:
      message.otherParts.push(part);
  }
}

/**
 * The messages a turn added: those after the last assistant message of its input (earlier ones
 * repeat the previous turns). All of them when there is no assistant message.
 */
export function newMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  let last = -1;
  messages.forEach((message, index) => {
    if (message.role === 'assistant' || message.role === 'model') last = index;
  });
  const fresh = messages.slice(last + 1);
  return fresh.length > 0 ? fresh : [...messages];
}
