import { randomBytes } from 'node:crypto';
import { graphql } from './graphql-client';

export const PASSWORD = 'Correct-horse-battery-9';

export interface Actor {
  email: string;
  accessToken: string;
  refreshToken: string;
  userId: string;
  organizationId: string;
}

const AUTH_FIELDS =
  'accessToken refreshToken expiresAt me { role user { id email } organization { id name } }';

function unique(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

function toActor(payload: Record<string, unknown>): Actor {
  const auth = payload as {
    accessToken: string;
    refreshToken: string;
    me: { user: { id: string; email: string }; organization: { id: string } };
  };
  return {
    email: auth.me.user.email,
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    userId: auth.me.user.id,
    organizationId: auth.me.organization.id,
  };
}

/** A new organization with its owner, signed up through the gateway. */
export async function signUpOwner(url: string, organizationName = unique('Org')): Promise<Actor> {
  const email = `${unique('owner')}@example.com`;
  const response = await graphql<{ signUp: Record<string, unknown> }>(
    url,
    `mutation ($input: SignUpInput!) { signUp(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email, password: PASSWORD, name: 'Owner', organizationName } },
  );
  if (!response.data?.signUp) throw new Error(`signUp failed: ${JSON.stringify(response.errors)}`);
  return toActor(response.data.signUp);
}

/** A member with `role` added by `admin`, then logged in. */
export async function addMember(url: string, admin: Actor, role: string): Promise<Actor> {
  const email = `${unique(role.toLowerCase())}@example.com`;
  const added = await graphql(
    url,
    'mutation ($input: AddMemberInput!) { addMember(input: $input) { role user { id } } }',
    { input: { email, name: role, password: PASSWORD, role } },
    admin.accessToken,
  );
  if (added.errors) throw new Error(`addMember failed: ${JSON.stringify(added.errors)}`);
  return login(url, email);
}

export async function login(url: string, email: string, password = PASSWORD): Promise<Actor> {
  const response = await graphql<{ login: Record<string, unknown> }>(
    url,
    `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`,
    { input: { email, password } },
  );
  if (!response.data?.login) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return toActor(response.data.login);
}

export async function createTextDocument(
  url: string,
  actor: Actor,
  title: string,
  text = `The text of ${title}.`,
  tags: string[] = [],
): Promise<string> {
  const response = await graphql<{ createTextDocument: { id: string } }>(
    url,
    'mutation ($input: CreateTextDocumentInput!) { createTextDocument(input: $input) { id } }',
    { input: { title, text, tags } },
    actor.accessToken,
  );
  if (!response.data?.createTextDocument)
    throw new Error(`createTextDocument failed: ${JSON.stringify(response.errors)}`);
  return response.data.createTextDocument.id;
}
