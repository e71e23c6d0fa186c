import https from 'node:https';

export interface HttpsSendOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Trust anchors for the server certificate; the system's roots when absent. */
  readonly ca?: string | readonly string[];
  /** A client certificate for mutual TLS. */
  readonly clientCertificate?: { readonly certificatePem: string; readonly privateKeyPem: string };
  readonly timeoutMs: number;
}

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

/** One HTTPS request of the CLI with explicit trust (never certificate checks switched off), bounded in time. */
export function httpsSend(url: URL, options: HttpsSendOptions): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ...(options.ca ? { ca: typeof options.ca === 'string' ? options.ca : [...options.ca] } : {}),
        ...(options.clientCertificate ? { cert: options.clientCertificate.certificatePem, key: options.clientCertificate.privateKeyPem } : {}),
        agent: false,
        timeout: options.timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${options.method ?? 'GET'} ${url.pathname} had no answer within ${options.timeoutMs / 1000} s`)));
    request.on('error', reject);
    request.end(options.body);
  });
}
