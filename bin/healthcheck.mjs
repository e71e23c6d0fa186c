#!/usr/bin/env node
// The container's health check (Dockerfile HEALTHCHECK): GET /health/ready on this instance's own
// HTTPS port; exit 0 when it answers 200. The certificate is not checked: the call never leaves
// the container, and the server's certificate names its public host, not localhost.
import https from 'node:https';

const port = Number(process.env['PORT'] ?? 8443);
const request = https.get({ host: '127.0.0.1', port, path: '/health/ready', rejectUnauthorized: false, timeout: 2500 }, (response) => {
  response.resume();
  process.exit(response.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', () => process.exit(1));
