/**
 * Traces written in Chinese, Arabic, Cyrillic, English, Japanese and German (in a child
 * observation), and the words each is found by: full-text search holds over them alike through
 * the REST API and in the store contract. Labels s0..s5 are the traces' places in the list.
 */
import type { NamedTraceSpec } from './trace-attributes.js';

/** Unix ms of the first trace's start; the others follow a second apart. */
export const T0 = Date.UTC(2025, 4, 1, 9, 0, 0);

/** s4 starts after s5. */
export const MULTILINGUAL_TRACES: NamedTraceSpec[] = [
  { name: '客服对话', startMs: T0, input: { question: '如何重置我的密码？' }, output: '请打开设置，然后点击安全，再重置密码。', userId: 'zh' },
  { name: 'محادثة', startMs: T0 + 1000, input: 'أين يمكنني العثور على الكتاب؟', output: 'الكتاب موجود في المكتبة', userId: 'ar' },
  { name: 'диалог', startMs: T0 + 2000, input: 'Как сбросить пароль?', output: 'Откройте настройки и нажмите «Сбросить».', userId: 'ru' },
  { name: 'support-chat', startMs: T0 + 3000, input: 'How do I reset my password?', output: 'Open Settings, then Security. Enjoy your café.', userId: 'en' },
  { name: 'お問い合わせ', startMs: T0 + 5000, input: 'パスワードを忘れました', output: 'العَرَبِيَّة لغة جميلة', userId: 'ja' },
  {
    name: 'agent-run',
    startMs: T0 + 4000,
    userId: 'de',
    generations: [
      {
        name: 'llm-answer',
        model: 'gpt-4o-mini',
        input: [{ role: 'user', content: 'Wie setze ich mein Passwort zurück?' }],
        output: [{ role: 'assistant', content: 'Öffnen Sie die Einstellungen.' }],
      },
    ],
  },
];

/** The search contract's traces (test/store/search.contract.test.ts): s0..s5, then Thai, Korean and a quoted phrase. */
export const SEARCH_CONTRACT_TRACES: NamedTraceSpec[] = [
  ...MULTILINGUAL_TRACES,
  { name: 'สนทนา', startMs: T0 + 6000, input: 'ฉันลืมรหัสผ่านของฉัน', output: 'กรุณาเปิดการตั้งค่า', userId: 'th' },
  { name: '상담', startMs: T0 + 7000, input: '비밀번호를 재설정하려면 어떻게 하나요?', userId: 'ko' },
  { name: 'quoted', startMs: T0 + 8000, input: 'say "hello" twice', userId: 'en' },
];

/** [search term, the traces it finds, what the case shows]. */
export const WORDS_FOUND: Array<[string, string[], string]> = [
  ['密码', ['s0'], 'a two-character Chinese word inside a sentence'],
  ['重置', ['s0'], 'another two-character word'],
  ['重置密码', ['s0'], 'a four-character word'],
  ['码', ['s0'], 'a single character'],
  ['客服', ['s0'], 'the trace name'],
  ['كتاب', ['s1'], 'an Arabic word behind its attached article (الكتاب)'],
  ['الكتاب', ['s1'], 'the Arabic word with its article'],
  ['المكتبة', ['s1'], 'an Arabic word of the output'],
  ['пароль', ['s2'], 'a Cyrillic word'],
  ['ПАРОЛЬ', ['s2'], 'a Cyrillic word in upper case'],
  ['сброс', ['s2'], 'the start of a Cyrillic word'],
  ['НАСТРОЙКИ', ['s2'], 'a Cyrillic word of the output in upper case'],
  ['パスワード', ['s4'], 'a Japanese word inside a sentence'],
  ['忘れ', ['s4'], 'two Japanese characters'],
  ['العربية', ['s4'], 'an Arabic word written with its optional vowel marks (العَرَبِيَّة)'],
  ['عربية', ['s4'], 'the same word behind its article'],
  ['password', ['s3'], 'an English word'],
  ['PassWord', ['s3'], 'in mixed case'],
  ['cafe', ['s3'], 'without the diacritic that the text has'],
  ['Passwort', ['s5'], "a word only a child observation's input holds"],
  ['Einstellungen', ['s5'], "a word of a child observation's output"],
  ['llm-answer', ['s5'], "a child observation's name"],
  ['pass', ['s3', 's5'], 'the start of a word, in any trace'],
];

/** Search terms full of FTS5 and SQL syntax: each must be searched as the literal text it is. */
export const QUERY_SYNTAX_TERMS: string[] = [
  '" OR 1=1 --',
  'password" OR "x',
  'NEAR(reset password)',
  '*',
  'text:password',
  "'; DROP TABLE search_text; --",
  "'; DROP TABLE traces; --",
  'password AND NOT reset',
  '^reset',
  '(((',
  '\\',
];
