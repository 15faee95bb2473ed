import type { FastifyInstance } from 'fastify';
import { findUnsafeInput } from '../trpc/input-guard.ts';

/**
 * App-wide JSON body parser. An empty body means "no input" (REST procedures without one); anything else goes
 * through Fastify's parser, which rejects __proto__ and constructor.prototype keys. (The tRPC endpoint's plugin
 * puts its own parser in its scope.)
 */
export function registerJsonBodyParser(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, (error, body) => {
      if (error) return done(error, undefined);
      // Checked here as well as in the procedures: the REST adapter re-serialises bodies before they get there.
      const problem = findUnsafeInput(body);
      if (problem) return done(Object.assign(new Error('Input validation failed'), { statusCode: 400, issues: [problem] }), undefined);
      return done(null, body);
    });
  });
}
