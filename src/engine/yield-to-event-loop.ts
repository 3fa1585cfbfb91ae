// A macrotask turn for a worker whose operations can all complete synchronously (blocking file calls,
// null://): timers, I/O callbacks and messages from the main thread (a stop) run only then, since
// awaiting a settled promise runs microtasks only.

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
