// Removes every key of a bench run (all under `prefix`) from the Redis at `url`: SCAN, then DEL.
import { Redis } from 'ioredis';

export async function deleteRedisKeys(url, prefix) {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    await client.quit();
  }
}
