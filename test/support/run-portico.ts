import { spawn } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(import.meta.dirname, '../../bin/portico.mjs');

export interface PorticoRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Node script with only PATH and the given environment; what it printed and its exit code. */
export function runNodeScript(file: string, args: string[], env: Record<string, string>): Promise<PorticoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the `portico` command with only PATH and the given environment. */
export function runPortico(args: string[], env: Record<string, string>): Promise<PorticoRun> {
  return runNodeScript(BIN, args, env);
}
