// HDR histograms of latency in integer microseconds: 3 significant digits (0.1% precision), auto-resizing
// to whatever the slowest operation took, 64-bit counts (a long run at 10^6 ops/s overflows 32-bit
// buckets). Encoded with the standard compressed HDR format so results can be merged exactly later, by
// iofleet or any HdrHistogram library.

import hdr from 'hdr-histogram-js';

export type LatencyHistogram = hdr.Histogram;

export function createLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

export function encodeHistogram(histogram: LatencyHistogram): string {
  // Level 1: windows are encoded every second on the workers; speed matters more than a few bytes.
  return hdr.encodeIntoCompressedBase64(histogram, 1);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  const histogram = hdr.decodeFromCompressedBase64(encoded, 64, false);
  histogram.autoResize = true;
  return histogram;
}
