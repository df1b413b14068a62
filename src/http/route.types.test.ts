import { z } from 'zod';
import { route } from './route';

/**
 * Compile-time checks of route(): `npm test` type-checks this file before jest runs it, and each `@ts-expect-error`
 * fails the type check if the error it expects is gone, so these are tests of the handler typing itself.
 */
const created = z.object({ id: z.string() });
const page = z.object({ items: z.array(z.string()) });
const responses = {
  201: { description: 'Created', schema: created },
  200: { description: 'A page', schema: page },
  409: { description: 'Conflict' },
};
const base = { method: 'post', path: '/x', summary: 'x', tag: 'x', roles: ['admin'], responses } as const;

const defs = [
  route({ ...base, handler: async () => ({ status: 201, body: { id: 'a' } }) }),
  route({ ...base, handler: () => ({ status: 200, body: { items: ['a'] } }) }),
  route({ ...base, handler: () => ({ status: 409 }) }),
  // @ts-expect-error the body of 200 given with 201: each status is held to its own schema
  route({ ...base, handler: () => ({ status: 201, body: { items: ['a'] } }) }),
  // @ts-expect-error a status the route does not declare
  route({ ...base, handler: () => ({ status: 404 }) }),
  // @ts-expect-error a field the schema does not have, of the wrong type
  route({ ...base, handler: () => ({ status: 201, body: { id: 7 } }) }),
  // @ts-expect-error a declared schema's body left out
  route({ ...base, handler: () => ({ status: 200 }) }),
];

describe('route() typing', () => {
  it('keeps each spec as given', () => {
    expect(defs.map((d) => d.spec.path)).toEqual(Array(7).fill('/x'));
  });
});
