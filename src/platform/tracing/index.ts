export { tracer, startTracing, inSpan, recordFinishedSpan, type Tracing, type TracingOptions } from './tracing.ts';
export { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
