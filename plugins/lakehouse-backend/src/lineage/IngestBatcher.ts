import { LineageStore, LineageWrite } from './LineageStore';

/**
 * Group commit for the OpenLineage receiver: events that arrive while
 * batches commit wait and go together in the next transaction. Each caller
 * gets its answer only after its batch committed, so a 201 means written.
 * Up to `inFlight` batches commit at once (PostgreSQL overlaps one commit's
 * wait with the next batch's statements; SQLite has one connection and
 * simply queues them). Rows are written in key order, so concurrent batches
 * touching the same nodes wait for each other instead of deadlocking.
 */
export class IngestBatcher {
  private pending: Array<{
    write: LineageWrite;
    resolve: (applied: boolean) => void;
    reject: (error: unknown) => void;
  }> = [];
  private running = 0;

  constructor(
    private readonly store: LineageStore,
    private readonly maxBatch = 200,
    private readonly inFlight = 2,
  ) {}

  submit(write: LineageWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (this.running < this.inFlight) {
        this.running++;
        setImmediate(() => this.drain());
      }
    });
  }

  private async drain() {
    while (this.pending.length) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        const applied = await this.store.applyBatch(batch.map(b => b.write));
        batch.forEach((b, i) => b.resolve(applied[i]));
      } catch (error) {
        // The transaction rolled back: nothing of this batch is written.
        batch.forEach(b => b.reject(error));
      }
    }
    this.running--;
  }
}
