/**
 * Runs items in groups, as a database does group commit: the first item runs at once, alone; the
 * items that arrive while a group runs wait and then run together as the next group (up to
 * `maxGroup`). Under light load nothing waits for company; under heavy load each group's fixed cost
 * (round trips, commits) is shared by many items. One group runs at a time per instance.
 *
 * `runGroup` answers each item's result in order. When a group of several fails, each of its items
 * is run again alone, so that one bad item fails only itself; the items' work must therefore be
 * safe to repeat (idempotent), as a retried job's is.
 */
export class GroupRuns<I, R> {
  private readonly waiting: Array<{ readonly item: I; readonly resolve: (result: R) => void; readonly reject: (error: unknown) => void }> = [];
  private running = false;

  constructor(
    private readonly runGroup: (items: readonly I[]) => Promise<readonly R[]>,
    private readonly maxGroup = 64,
  ) {
    if (!(Number.isInteger(maxGroup) && maxGroup > 0)) throw new RangeError(`maxGroup must be a positive integer, got ${maxGroup}`);
  }

  run(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, this.maxGroup);
        try {
          const results = await this.runGroup(group.map((member) => member.item));
          group.forEach((member, i) => member.resolve(results[i]!));
        } catch (error) {
          if (group.length === 1) group[0]!.reject(error);
          else for (const member of group) await this.runGroup([member.item]).then((results) => member.resolve(results[0]!), member.reject);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
