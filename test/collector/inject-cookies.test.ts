/**
 * fastify's app.inject() (light-my-request, which every route test uses) with cookies: package.json
 * overrides light-my-request's cookie@2 (ESM only, Node 22 or later) with cookie@1, CommonJS for
 * Node 18 or later, whose stringifySetCookie takes the same `{ name, value }` it is called with.
 */
import Fastify from 'fastify';
import { expect, it } from 'vitest';

it('app.inject sends the cookies it is given', async () => {
  const app = Fastify();
  app.get('/echo', async (request) => ({ cookie: request.headers.cookie }));
  try {
    const response = await app.inject({ url: '/echo', cookies: { session: 'a b', theme: 'dark' } });
    expect(response.json()).toEqual({ cookie: 'session=a%20b; theme=dark' });
  } finally {
    await app.close();
  }
});
