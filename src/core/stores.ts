// Per-account-and-region state: each service keeps one store per (account, region), made on first use.

export class RegionalStores<T> {
  private readonly stores = new Map<string, T>();

  constructor(private readonly create: (account: string, region: string) => T) {}

  get(account: string, region: string): T {
    const key = `${account}/${region}`;
    let store = this.stores.get(key);
    if (!store) {
      store = this.create(account, region);
      this.stores.set(key, store);
    }
    return store;
  }

  /** The store if it exists, without making one. */
  peek(account: string, region: string): T | undefined {
    return this.stores.get(`${account}/${region}`);
  }

  all(): IterableIterator<T> {
    return this.stores.values();
  }

  clear(): void {
    this.stores.clear();
  }
}
