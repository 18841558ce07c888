import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { wallClockMs, type FromSubscribers, type ToSubscribers } from './protocol';

/**
 * One of the bench's client processes: opens graphql-ws connections to the gateway and reports
 * when each result arrived (wall clock). Spreading the sockets over several processes keeps the
 * bench's own event loop from queueing receipts and counting that as gateway latency.
 */
const clients: Client[] = [];
let batch: [string, number][] = [];
let flushScheduled = false;

function send(message: FromSubscribers): void {
  process.send!(message);
}

function record(title: string): void {
  batch.push([title, wallClockMs()]);
  if (flushScheduled) return;
  flushScheduled = true;
  // One IPC message per turn of the event loop, not per result.
  setImmediate(() => {
    flushScheduled = false;
    const receipts = batch;
    batch = [];
    send({ kind: 'receipts', receipts });
  });
}

async function open(
  url: string,
  query: string,
  tokens: string[],
  perSecond: number,
): Promise<void> {
  let subscribed = 0;
  let failed = 0;
  await new Promise<void>((resolve) => {
    const settle = () => {
      if (subscribed + failed === tokens.length) resolve();
    };
    const connect = (token: string) => {
      let acknowledged = false;
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: false,
        // Failures are reported through `closed` below, not printed.
        onNonLazyError: () => undefined,
        on: {
          connected: () => {
            // graphql-ws sends `subscribe` right after the ack; count the subscription then.
            acknowledged = true;
            subscribed++;
            settle();
          },
          closed: (event) => {
            if (acknowledged) return;
            failed++;
            const { code, reason } = event as { code?: number; reason?: string };
            send({ kind: 'error', message: `closed before ack: ${code} ${reason ?? ''}` });
            settle();
          },
          error: (error) => {
            if (acknowledged) return;
            send({ kind: 'error', message: `socket error: ${String(error)}` });
          },
        },
      });
      clients.push(client);
      client.subscribe(
        { query },
        {
          next: (value) => {
            const title = (value.data?.documentUpdated as { title?: string } | undefined)?.title;
            if (title) record(title);
          },
          error: (error) =>
            send({ kind: 'error', message: `subscription error: ${JSON.stringify(error)}` }),
          complete: () => undefined,
        },
      );
    };
    // Opened at a steady rate (every 20 ms a slice), not all in the same instant.
    const perTick = Math.max(1, Math.round(perSecond / 50));
    tokens.forEach((token, i) => {
      setTimeout(() => connect(token), Math.floor(i / perTick) * 20);
    });
  });
  send({ kind: 'opened', subscribed, failed });
}

process.on('message', (message: ToSubscribers) => {
  if (message.kind === 'open') {
    void open(message.url, message.query, message.tokens, message.perSecond);
  } else if (message.kind === 'close') {
    void Promise.all(clients.map((c) => c.dispose())).then(() => process.exit(0));
  }
});
