import path from 'node:path';
import { runNodeScript, type PorticoRun } from './run-portico.ts';

/** `node examples/<script> <base>` as a newcomer runs it, trusting the server's sandbox CA (PORTICO_CA). */
export function runExample(script: string, base: string, caFile: string): Promise<PorticoRun> {
  return runNodeScript(path.resolve(import.meta.dirname, '../../examples', script), [base], { PORTICO_CA: caFile });
}
