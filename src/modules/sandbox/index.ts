export { generateSandboxBank } from './generate-sandbox-bank.ts';
export type { SandboxDataset, SandboxOptions, SandboxPsu } from './generate-sandbox-bank.ts';
export { seedSandbox, isSandboxSeeded, DEFAULT_SANDBOX_SEED } from './seed-sandbox.ts';
export type { SeedSandboxOptions, SeedSandboxResult } from './seed-sandbox.ts';
export { listSandboxPsus } from './list-sandbox-psus.ts';
export type { SandboxPsuLogin } from './list-sandbox-psus.ts';
export { writeSandboxBank } from './write-sandbox-bank.ts';
export type { SandboxProgress, WriteSandboxOptions } from './write-sandbox-bank.ts';
export { SandboxErrors } from './sandbox.errors.ts';
