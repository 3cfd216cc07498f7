/**
 * Emscripten-built runtimes (tfjs's WASM backend, OpenCV.js) install process-wide
 * 'uncaughtException' / 'unhandledRejection' handlers that rethrow or abort, which would override
 * whatever error policy the service sets (and turn one rejected promise into a dead worker). Runs
 * `load` and removes every such handler it added.
 */
export async function withoutEmscriptenHandlers<T>(load: () => Promise<T> | T): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  const events = ['uncaughtException', 'unhandledRejection'] as const;
  const listeners = (event: (typeof events)[number]) => process.listeners(event as 'uncaughtException') as Listener[];
  const before = events.map((event) => new Set(listeners(event)));
  try {
    return await load();
  } finally {
    events.forEach((event, k) => {
      for (const listener of listeners(event)) if (!before[k].has(listener)) process.removeListener(event, listener);
    });
  }
}
