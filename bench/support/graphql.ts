/** One GraphQL request over HTTP as the benches' clients send it; GraphQL errors throw. */
export async function postGraphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: object,
  token?: string,
): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}
