import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * Portico's tracer. Until `startTracing` registers a provider it is OpenTelemetry's no-op one, so
 * code traces unconditionally and pays next to nothing when no OTLP endpoint is configured.
 */
export const tracer = trace.getTracer('portico');

export interface TracingOptions {
  /** The OTLP/HTTP endpoint's base URL (OTEL_EXPORTER_OTLP_ENDPOINT); spans go to `<endpoint>/v1/traces` as JSON. */
  readonly endpoint: string;
  readonly serviceName: string;
  /** Names this process among the replicas (`service.instance.id`). */
  readonly instanceId: string;
}

export interface Tracing {
  /** Sends what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

let started: { provider: TracerProvider; users: number } | undefined;

/**
 * Registers the process-wide tracer provider exporting to the OTLP endpoint, with spans carried
 * across awaits (AsyncLocalStorage). Once per process: later calls share the first provider.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (!started) {
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.instance.id': options.instanceId }),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` }), scheduledDelayMillis: 500 })],
    });
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
    started = { provider, users: 0 };
  }
  const current = started;
  current.users += 1;
  return {
    async shutdown() {
      current.users -= 1;
      await current.provider.forceFlush();
      if (current.users === 0 && started === current) {
        started = undefined;
        await current.provider.shutdown();
        trace.disable();
        context.disable();
      }
    },
  };
}

/**
 * Runs `work` in a span of its own, a child of the active one: ended when it settles, marked as
 * an error (with the exception) when it throws.
 */
export async function inSpan<T>(name: string, attributes: Attributes, work: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span for something already done, `durationMs` long, ending now (a database query the driver timed). */
export function recordFinishedSpan(name: string, attributes: Attributes, durationMs: number, kind: SpanKind = SpanKind.CLIENT): void {
  const end = Date.now();
  tracer.startSpan(name, { kind, attributes, startTime: end - durationMs }).end(end);
}
