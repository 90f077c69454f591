export type BusHandler = (message: unknown) => void;

/**
 * Fire-and-forget publish/subscribe across every Pulse process sharing the same Redis
 * (or within one process for the in-memory twin). At-most-once: consumers that must not
 * miss messages pair it with a durable backlog.
 */
export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves once the subscription is live; the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export type BusHandlerErrorReporter = (error: unknown, channel: string) => void;

export const reportBusHandlerErrorToConsole: BusHandlerErrorReporter = (error, channel) => {
  console.error(`[pulse] bus handler for channel "${channel}" failed`, error);
};

/**
 * Parses per handler so one handler mutating its payload cannot affect another, and
 * contains both thrown errors and rejected promises of async handlers: one faulty consumer
 * must neither starve the others nor crash the process with an unhandled rejection.
 */
export function deliverBusMessage(
  handler: BusHandler,
  json: string,
  channel: string,
  report: BusHandlerErrorReporter,
): void {
  try {
    // BusHandler is typed void-returning, yet async functions are assignable to it.
    const result: unknown = handler(JSON.parse(json));
    if (result instanceof Promise) result.catch((error: unknown) => report(error, channel));
  } catch (error) {
    report(error, channel);
  }
}
