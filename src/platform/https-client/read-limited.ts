/** An answer larger than its source may send; the message names the limit. */
export class ResponseTooLarge extends Error {}

/**
 * The body of a response, refused once it passes `limit` bytes (read as it arrives, so a hostile
 * or broken responder cannot make the platform hold an unbounded body).
 */
export async function readLimited(response: Response, limit: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw new ResponseTooLarge(`the answer is ${declared} bytes, more than the ${limit} accepted`);
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge(`the answer is more than the ${limit} bytes accepted`);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
