import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { currentContext, runInContext } from '../tenancy/request-context';

/**
 * OpenTelemetry traces, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: then every role
 * exports its spans over OTLP/HTTP to `<endpoint>/v1/traces`. Each request a role serves is a
 * server span (`traceRequest`, called by core/http/role-server.ts), continuing the caller's W3C
 * `traceparent`; outgoing requests through undici / fetch (gateway → subgraphs, accounts'
 * API-key check, OpenAI, webhooks) are client spans that send it on (undici's instrumentation,
 * through diagnostics_channel); @apollo/gateway adds its own spans (validate, plan, fetch) in
 * between. One client request is one trace across the gateway and every subgraph it asks. With
 * the setting unset, no SDK module is even loaded and `traceRequest` only calls the handler.
 *
 * Server spans are made here rather than by @opentelemetry/instrumentation-http: that one
 * patches node:http through require hooks, which miss modules loaded before it and every
 * module under jest; the role server is the one HTTP server of every role.
 *
 * The SDK packages are the trace SDK, the OTLP HTTP exporter and the two instrumentations, not
 * `@opentelemetry/sdk-node`, which brings gRPC and protobuf exporters, metrics and logs SDKs
 * and resource detectors this project does not use (docs/decisions.md).
 */
export interface Tracing {
  /** Sends what is buffered now (tests; a stopping role). */
  flush: () => Promise<void>;
  shutdown: () => Promise<void>;
}

let started: { tracing: Tracing; provider: NodeTracerProvider } | null = null;

export function startTracing(options: {
  endpoint: string | undefined;
  serviceName: string;
}): Tracing | null {
  if (!options.endpoint) return null;
  if (started) return started.tracing; // one provider per process (tests run roles together)
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` }),
      ),
    ],
  });
  // AsyncLocalStorage context and W3C trace-context propagation, process-wide.
  provider.register();
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [new UndiciInstrumentation()],
  });
  const tracing: Tracing = {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      // Leave the process as it was: unpatched modules, no global provider or propagator.
      unregister();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      started = null;
    },
  };
  started = { tracing, provider };
  return tracing;
}

const tracer = () => trace.getTracer('docent');

/**
 * Runs a request's handler inside a server span that continues the caller's trace (its
 * `traceparent`), ended when the response is sent. Without tracing: just the handler.
 */
export async function traceRequest(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  handler: () => Promise<void>,
): Promise<void> {
  if (!started) return handler();
  const parent = propagation.extract(context.active(), request.headers);
  const method = request.method ?? 'GET';
  const span = tracer().startSpan(
    `${method} ${path}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': method,
        'url.path': path,
        'server.port': request.socket.localPort ?? 0,
      },
    },
    parent,
  );
  response.once('close', () => {
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
  return context.with(trace.setSpan(parent, span), handler);
}

/**
 * What a job carries from the request that enqueued it: the request id (logged with the job's
 * outcome) and, when tracing is on, the W3C `traceparent` its span continues. Spread it into
 * the job's data at enqueue time.
 */
export interface JobTrace {
  requestId?: string;
  traceparent?: string;
}

export function jobTrace(): JobTrace {
  const carrier: Record<string, string> = {};
  if (started) propagation.inject(context.active(), carrier);
  const requestId = currentContext()?.requestId;
  return {
    ...(requestId ? { requestId } : {}),
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
  };
}

/**
 * A BullMQ processor that runs as part of the request that enqueued its job: the request id and
 * traceparent in the job's data (spread from `jobTrace()`, or those a relayed event carries)
 * become the job's context, so what the job enqueues or writes to an outbox carries them on.
 */
export function inJobTrace<J extends { data: unknown }, Rest extends unknown[], R>(
  processor: (job: J, ...rest: Rest) => R,
): (job: J, ...rest: Rest) => R {
  return (job, ...rest) => {
    const { requestId, traceparent } = (job.data ?? {}) as JobTrace;
    if (!requestId && !traceparent) return processor(job, ...rest);
    const parent =
      started && traceparent
        ? propagation.extract(context.active(), { traceparent })
        : context.active();
    return context.with(parent, () =>
      runInContext({ requestId: requestId ?? '', principal: null }, () => processor(job, ...rest)),
    );
  };
}

/** A finished job attempt as a span of the trace that enqueued it (when its data carries one). */
export function recordJobSpan(job: {
  name: string;
  id?: string;
  queueName: string;
  data: unknown;
  processedOn?: number;
  finishedOn?: number;
  failedReason?: string;
}): void {
  if (!started || !job.processedOn || !job.finishedOn) return;
  const traceparent = (job.data as JobTrace | null)?.traceparent;
  const parent = traceparent
    ? propagation.extract(context.active(), { traceparent })
    : context.active();
  const span = tracer().startSpan(
    `job ${job.queueName} ${job.name}`,
    {
      kind: SpanKind.CONSUMER,
      startTime: job.processedOn,
      attributes: {
        'messaging.system': 'bullmq',
        'messaging.destination.name': job.queueName,
        'messaging.message.id': job.id ?? '',
      },
    },
    parent,
  );
  if (job.failedReason) span.setStatus({ code: SpanStatusCode.ERROR, message: job.failedReason });
  span.end(job.finishedOn);
}
