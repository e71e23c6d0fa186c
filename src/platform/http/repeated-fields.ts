import type { FastifyRequest } from 'fastify';

/**
 * The name of a field a page's request gives more than once, in its query string or its form: a
 * page's handler reads such a field as one text and would meet an array. `lists` names the fields
 * a form sends several of (check boxes). A JSON body is its own shape, checked by its route.
 */
export function repeatedField(request: FastifyRequest, lists: ReadonlySet<string> = new Set()): string | undefined {
  const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ? request.body : undefined;
  for (const fields of [request.query, form]) {
    if (typeof fields !== 'object' || fields === null) continue;
    for (const [name, value] of Object.entries(fields)) if (Array.isArray(value) && !lists.has(name)) return name;
  }
  return undefined;
}
