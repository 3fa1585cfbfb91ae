// Size buckets for statistics: results are kept per op × size bucket, so that a mix of 4 KiB and 16 MiB
// objects never blends into one meaningless latency distribution.

export const SIZE_BUCKET_LIMITS_BYTES = [0, 8 * 1024, 64 * 1024, 512 * 1024, 4 * 2 ** 20, 32 * 2 ** 20, 256 * 2 ** 20, 2 * 2 ** 30] as const;

export const SIZE_BUCKET_NAMES = ['0', '<=8KiB', '<=64KiB', '<=512KiB', '<=4MiB', '<=32MiB', '<=256MiB', '<=2GiB', '>2GiB'] as const;

export const SIZE_BUCKET_COUNT = SIZE_BUCKET_NAMES.length;

export function sizeBucketOf(sizeBytes: number): number {
  const limits = SIZE_BUCKET_LIMITS_BYTES;
  for (let i = 0; i < limits.length; i++) if (sizeBytes <= limits[i]!) return i;
  return limits.length;
}
