/* global document, location, URL, Worker */
// The schema explorer's browser entry, bundled by gateway/explorer/explorer-bundle.ts with
// esbuild. Plain JavaScript on purpose: it runs in the browser, and the project's TypeScript
// program has no DOM types (adding them would let server code reach `window` unnoticed).
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';

// Monaco's language workers come from this gateway (bundled beside this file), never a CDN.
const assets = new URL('./', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const file =
      label === 'graphql'
        ? 'graphql.worker.js'
        : label === 'json'
          ? 'json.worker.js'
          : 'editor.worker.js';
    // The workers are ES modules (esbuild's esm output), as the page's script is.
    return new Worker(new URL(file, assets), { type: 'module' });
  },
};

const httpUrl = new URL('/graphql', location.href).href;
const wsUrl = httpUrl.replace(/^http/, 'ws');

// Subscriptions carry the token in graphql-ws's connection_init payload (API.md), not in a
// header: one WebSocket client per Authorization value typed into the header editor.
const wsClients = new Map();
function wsClientFor(authorization) {
  const key = authorization ?? '';
  let client = wsClients.get(key);
  if (!client) {
    client = createClient({
      url: wsUrl,
      lazy: true,
      connectionParams: authorization ? { authorization } : {},
    });
    wsClients.set(key, client);
  }
  return client;
}

function headerValue(headers, name) {
  for (const [key, value] of Object.entries(headers ?? {}))
    if (key.toLowerCase() === name) return String(value);
  return undefined;
}

const fetcher = (params, options) =>
  createGraphiQLFetcher({
    url: httpUrl,
    wsClient: wsClientFor(headerValue(options?.headers, 'authorization')),
  })(params, options);

const defaultQuery = `# Docent's API. Put your token in the Headers tab below:
#   { "Authorization": "Bearer <access token or API key>" }
# Subscriptions send the same value in graphql-ws's connection_init.

query Me {
  me {
    role
    user { id email name }
    organization { id name }
  }
}
`;

createRoot(document.getElementById('explorer')).render(
  createElement(GraphiQL, { fetcher, defaultQuery, isHeadersEditorEnabled: true }),
);
