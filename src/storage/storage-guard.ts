import { ParleyError } from '../errors.ts';
import { toStorageError } from './storage-errors.ts';

/** Every store operation runs through here: refused once the storage is closed, driver errors translated. */
export class StorageGuard {
  #closed = false;

  close(): void {
    this.#closed = true;
  }

  async run<T>(operation: string, body: () => Promise<T>): Promise<T> {
    if (this.#closed) {
      throw new ParleyError('PARLEY_ERR_STORAGE', `${operation}: the storage was closed; open it again with openStorage`);
    }
    try {
      return await body();
    } catch (error) {
      throw toStorageError(error, operation);
    }
  }
}
