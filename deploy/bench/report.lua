-- wrk reporter: one JSON line with throughput, errors and latency percentiles (ms).
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests":%d,"rps":%.1f,"errors":%d,"p50":%.2f,"p90":%.2f,"p95":%.2f,"p99":%.2f,"max":%.2f}\n',
    summary.requests, summary.requests / seconds, errors,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
