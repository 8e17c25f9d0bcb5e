/**
 * An input or output: chat messages as a conversation (tool calls and their results included),
 * JSON pretty and collapsible, text folded when long; a toggle shows the raw JSON.
 */
import { useState } from 'preact/hooks';
import { asChatMessages, parseMaybeJson, type ChatMessage } from '../chat-messages.js';
import { FoldedText } from './folded-text.js';
import { JsonView } from './json-view.js';

export function ContentSection({ title, value }: { title: string; value: unknown }) {
  const [raw, setRaw] = useState(false);
  const empty = value === null || value === undefined || value === '';
  const structured = !empty && typeof parseMaybeJson(value) === 'object';
  return (
    <section class="content-section">
      <header class="section-head">
        <h3>{title}</h3>
        {structured && (
          <button type="button" class="link-button" aria-pressed={raw} onClick={() => setRaw(!raw)}>
            {raw ? 'Formatted' : 'JSON'}
          </button>
        )}
      </header>
      {empty ? <p class="muted">None</p> : raw ? <JsonView value={parseMaybeJson(value)} openDepth={20} /> : <ContentView value={value} />}
    </section>
  );
}

export function ContentView({ value }: { value: unknown }) {
  const messages = asChatMessages(value);
  if (messages !== null) return <Conversation messages={messages} />;
  return <ValueView value={value} />;
}

export function Conversation({ messages }: { messages: readonly ChatMessage[] }) {
  return (
    <ol class="conversation">
      {messages.map((message, index) => (
        <li key={index} class={`message role-${roleClass(message.role)}`}>
          <div class="message-role">
            {message.role}
            {message.name !== null && <span class="muted"> · {message.name}</span>}
            {message.toolCallId !== null && <span class="muted"> · result of {message.toolCallId}</span>}
          </div>
          {message.text !== null &&
            (message.role === 'tool' || message.toolCallId !== null ? <ValueView value={message.text} /> : <FoldedText text={message.text} />)}
          {message.toolCalls.map((call, callIndex) => (
            <div key={callIndex} class="tool-call">
              <div class="tool-call-head">
                Tool call <code>{call.name}</code>
                {call.id !== null && <span class="muted"> {call.id}</span>}
              </div>
              <ValueView value={call.arguments} />
            </div>
          ))}
          {message.otherParts.map((part, partIndex) => (
            <JsonView key={`part-${partIndex}`} value={part} openDepth={1} />
          ))}
        </li>
      ))}
    </ol>
  );
}

function ValueView({ value }: { value: unknown }) {
  const parsed = parseMaybeJson(value);
  if (parsed !== null && typeof parsed === 'object') return <JsonView value={parsed} />;
  if (typeof parsed === 'string') return <FoldedText text={parsed} />;
  return <JsonView value={parsed} />;
}

function roleClass(role: string): string {
  if (role === 'user' || role === 'human') return 'user';
  if (role === 'assistant' || role === 'model' || role === 'ai') return 'assistant';
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'tool' || role === 'function') return 'tool';
  return 'other';
}
