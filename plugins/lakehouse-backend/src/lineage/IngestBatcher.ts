import { LineageStore, LineageWrite } from './LineageStore';

/**
 * Group commit for the OpenLineage receiver: events that arrive while a
 * batch commits wait and go together in the next transaction. Each caller
 * gets its answer only after its batch committed, so a 201 means written.
 */
export class IngestBatcher {
  private pending: Array<{
    write: LineageWrite;
    resolve: (applied: boolean) => void;
    reject: (error: unknown) => void;
  }> = [];
  private draining = false;

  constructor(
    private readonly store: LineageStore,
    private readonly maxBatch = 200,
  ) {}

  submit(write: LineageWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ write, resolve, reject });
      if (!this.draining) {
        this.draining = true;
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
    this.draining = false;
  }
}
