import fs from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import type { DataDirHolder } from '../platform/data-dir/index.ts';
import { CliError } from './cli-errors.ts';
import { httpsSend } from './https-send.ts';

/** The Portico server holding the data dir, reached over its HTTPS API. */
export interface RunningServer {
  readonly pid: number;
  readonly url: string;
  /** Sends JSON, answers the response body (JSON or text); a 4xx or 5xx becomes a CliError with the server's message. */
  request(method: string, pathname: string, options?: { body?: unknown; operator?: boolean }): Promise<unknown>;
}

/**
 * The server named in the data dir's lock file. Its certificate is checked against the sandbox CA
 * in the data dir (and the system's roots, for a server with a certificate of its own).
 */
export function runningServer(dataDir: string, holder: DataDirHolder & { url: string }): RunningServer {
  const { pid, url } = holder;
  return {
    pid,
    url,
    async request(method, pathname, options = {}) {
      const sandboxCa = await fs.readFile(path.join(dataDir, 'tls', 'sandbox-ca.pem'), 'utf8').catch(() => undefined);
      const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      if (body !== undefined) headers['content-type'] = 'application/json';
      if (options.operator) {
        if (!holder.operatorToken) throw new CliError(`the Portico server at ${url} (pid ${pid}) has no operator API; stop it and run the command again`);
        headers['authorization'] = `Bearer ${holder.operatorToken}`;
      }
      let response: { status: number; text: string };
      try {
        response = await httpsSend(new URL(pathname, url), { method, headers, ...(body !== undefined ? { body } : {}), ca: [...tls.rootCertificates, ...(sandboxCa ? [sandboxCa] : [])], timeoutMs: 60_000 });
      } catch (error) {
        throw new CliError(`cannot reach the Portico server at ${url} (pid ${pid}) that holds the data dir: ${(error as Error).message}`);
      }
      if (response.status >= 400) throw new CliError(`the Portico server at ${url} answered ${response.status}: ${errorMessage(response.text)}`);
      if (response.text === '') return undefined;
      try {
        return JSON.parse(response.text) as unknown;
      } catch {
        return response.text;
      }
    },
  };
}

/** The message of an OB error body (`Errors[].Message`), or the body itself. */
function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { Message?: string; Errors?: Array<{ Message?: string }>; error_description?: string };
    const messages = body.Errors?.map((error) => error.Message).filter(Boolean) ?? [];
    if (messages.length > 0) return messages.join('; ');
    return body.error_description ?? body.Message ?? text;
  } catch {
    return text.slice(0, 200);
  }
}
