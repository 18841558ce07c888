import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { assertWebhookUrl, guardedLookup } from './ssrf-guard';

export interface WebhookResponse {
  status: number | null;
  durationMs: number;
  error: string | null;
}

const BODY_CAP = 64 * 1024;

/**
 * POSTs one webhook: http(s) only, every resolved address checked at connect time, no redirects
 * (a 3xx is a failed attempt), one timeout for connect + response, at most 64 KiB of the
 * response read.
 */
export class WebhookSender {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(private readonly settings: { allowList: string[]; timeoutMs: number }) {
    const lookup = guardedLookup(settings.allowList) as never;
    this.http = new HttpAgent({ keepAlive: false, lookup });
    this.https = new HttpsAgent({ keepAlive: false, lookup });
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse> {
    const started = Date.now();
    try {
      const target = await assertWebhookUrl(url, this.settings.allowList);
      const status = await new Promise<number>((resolve, reject) => {
        const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(
          target,
          {
            method: 'POST',
            agent: target.protocol === 'https:' ? this.https : this.http,
            headers: {
              ...headers,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              'user-agent': 'Docent-Webhooks/1',
            },
            timeout: this.settings.timeoutMs,
          },
          (res: IncomingMessage) => {
            let read = 0;
            res.on('data', (chunk: Buffer) => {
              read += chunk.length;
              if (read > BODY_CAP) res.destroy();
            });
            res.on('end', () => resolve(res.statusCode ?? 0));
            res.on('close', () => resolve(res.statusCode ?? 0));
            res.on('error', () => resolve(res.statusCode ?? 0));
          },
        );
        const timer = setTimeout(
          () => req.destroy(new Error('timed out')),
          this.settings.timeoutMs,
        );
        req.on('close', () => clearTimeout(timer));
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end(body);
      });
      return { status, durationMs: Date.now() - started, error: null };
    } catch (error) {
      return {
        status: null,
        durationMs: Date.now() - started,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }
}
