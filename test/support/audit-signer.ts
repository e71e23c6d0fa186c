import { CompactSign, compactVerify, exportJWK, generateKeyPair } from 'jose';
import type { CheckpointSigner } from '../../src/modules/audit/index.ts';

/** A checkpoint signer with a key of its own (ES256), as the bank's keys would sign; and one whose signatures the first refuses. */
export async function testCheckpointSigner(): Promise<CheckpointSigner & { readonly kid: string }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = (await exportJWK(publicKey)).x!.slice(0, 16);
  return {
    kid,
    sign: (payload) => new CompactSign(payload).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey),
    async verify(jws) {
      try {
        return (await compactVerify(jws, publicKey, { algorithms: ['ES256'] })).payload;
      } catch {
        return undefined;
      }
    },
  };
}
