import { randomBytes } from 'node:crypto';

/**
 * AuthnRequests waiting for the person to sign in, by a random id the login form posts back.
 * In memory with a time limit and a cap: the demo IdP is one process, and a lost entry only means
 * starting the sign-in again from the app.
 */
export class PendingRequests<T> {
  private readonly items = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly ttlMs = 15 * 60_000,
    private readonly max = 1000,
  ) {}

  add(value: T): string {
    this.sweep();
    const id = randomBytes(16).toString('base64url');
    this.items.set(id, { value, expiresAt: Date.now() + this.ttlMs });
    return id;
  }

  get(id: string): T | undefined {
    const item = this.items.get(id);
    if (!item || item.expiresAt <= Date.now()) return undefined;
    return item.value;
  }

  /** Takes the entry out, so one AuthnRequest is answered at most once. */
  take(id: string): T | undefined {
    const value = this.get(id);
    this.items.delete(id);
    return value;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, item] of this.items) if (item.expiresAt <= now) this.items.delete(id);
    // Maps iterate in insertion order: drop the oldest beyond the cap.
    for (const id of this.items.keys()) {
      if (this.items.size < this.max) break;
      this.items.delete(id);
    }
  }
}
