import { describe, expect, it } from 'vitest';
import { SpanStatusCode } from '../../../collector/decode/span.js';
import * as livekit from '../../../semconv/livekit.js';
import { observationOf } from '../../helpers/mapped-span.js';

const LIVEKIT = { scope: { name: livekit.LIVEKIT_SCOPE, version: '1.2.0', attributes: {} } };

describe('mapSpan with LiveKit Agents spans', () => {
  it('reads an agent turn as an AGENT, with what was said and answered', () => {
    const observation = observationOf(
      { [livekit.LK_USER_INPUT]: 'What is the weather today?', [livekit.LK_RESPONSE_TEXT]: 'Sunny.' },
      { ...LIVEKIT, name: 'agent_turn' },
    );
    expect(observation).toMatchObject({ type: 'AGENT', input: 'What is the weather today?', output: 'Sunny.', level: 'DEFAULT' });
  });

  it('reads a function tool named for its tool, with its arguments and output', () => {
    const observation = observationOf(
      {
        [livekit.LK_FUNCTION_TOOL_NAME]: 'get_weather',
        [livekit.LK_FUNCTION_TOOL_ARGUMENTS]: '{"city":"Paris"}',
        [livekit.LK_FUNCTION_TOOL_OUTPUT]: '{"temperature": 75}',
      },
      { ...LIVEKIT, name: 'function_tool' },
    );
    expect(observation).toMatchObject({ type: 'TOOL', name: 'get_weather', input: { city: 'Paris' }, output: { temperature: 75 } });
  });

  it("reads an LLM node's chat context in and its response out", () => {
    const observation = observationOf(
      { [livekit.LK_CHAT_CTX]: '{"items":[{"role":"system","content":["Your name is Kelly."]}]}', [livekit.LK_RESPONSE_TEXT]: 'Hi' },
      { ...LIVEKIT, name: 'llm_node' },
    );
    expect(observation).toMatchObject({ type: 'SPAN', input: { items: [{ role: 'system', content: ['Your name is Kelly.'] }] }, output: 'Hi' });
  });

  it('puts setup and audio plumbing spans at DEBUG, unless they failed', () => {
    expect(observationOf({}, { ...LIVEKIT, name: 'tts_request_run' }).level).toBe('DEBUG');
    expect(observationOf({}, { ...LIVEKIT, name: 'start_agent_activity' })).toMatchObject({ type: 'SPAN', level: 'DEBUG' });
    const failed = observationOf({}, { ...LIVEKIT, name: 'tts_fallback_adapter', status: { code: SpanStatusCode.ERROR, message: 'all TTS failed' } });
    expect(failed.level).toBe('ERROR');
  });

  it('types and levels by span name only on spans of its scope', () => {
    expect(observationOf({}, { name: 'agent_turn' }).type).toBe('SPAN');
    expect(observationOf({}, { name: 'tts_node' }).level).toBe('DEFAULT');
  });
});
