import type { Redis } from 'ioredis';

/** Long-lived helpers shared by every request, built once in buildApp and closed with the app. */
export interface AppServices {
  /** Present when REDIS_URL is set: shared rate limits across instances. */
  redis: Redis | null;
}
