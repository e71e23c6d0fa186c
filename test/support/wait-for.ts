/** Polls until the condition holds; fails with the description after the timeout. */
export async function waitFor(condition: () => boolean | Promise<boolean>, description: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
