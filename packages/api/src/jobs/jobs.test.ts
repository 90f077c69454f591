import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { BullMqJobs, InProcessJobs, type JobLog, type JobRun, removeJobQueue } from './index.js';

const eventually = { timeout: 5_000, interval: 10 };

function recordingLog() {
  const entries: { level: string; message: string; details: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (details: object, message: string): void => {
      entries.push({ level, message, details: details as Record<string, unknown> });
    };
  const log: JobLog = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { log, entries };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('in-process jobs', () => {
  it('runs each job at once and then every interval', async () => {
    const runs: JobRun[] = [];
    const jobs = new InProcessJobs([
      { name: 'tick', everyMs: 20, run: async (run) => void runs.push(run) },
    ]);
    await jobs.start();
    expect(runs).toHaveLength(1);
    await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(3), eventually);
    await jobs.stop();
    expect(new Set(runs.map((r) => r.tick)).size).toBe(runs.length);
    expect(runs.every((r) => r.attempt === 1)).toBe(true);
  });

  it('skips ticks while the previous run of the same job is in progress', async () => {
    const gate = deferred();
    let started = 0;
    const { log, entries } = recordingLog();
    const jobs = new InProcessJobs(
      [
        {
          name: 'slow',
          everyMs: 10,
          run: async () => {
            started += 1;
            await gate.promise;
          },
        },
      ],
      { log },
    );
    await jobs.start();
    await vi.waitFor(
      () => expect(entries.filter((e) => e.message.includes('tick skipped')).length).toBe(3),
      eventually,
    );
    expect(started).toBe(1);
    gate.resolve();
    await vi.waitFor(() => expect(started).toBe(2), eventually);
    await jobs.stop();
  });

  it('stop() waits for the runs in progress and schedules nothing more', async () => {
    const gate = deferred();
    let finished = false;
    let started = 0;
    const jobs = new InProcessJobs([
      {
        name: 'long',
        everyMs: 10,
        run: async () => {
          started += 1;
          await gate.promise;
          finished = true;
        },
      },
    ]);
    await jobs.start();
    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(started).toBe(1);
  });

  it('retries a failing tick with backoff, logs each failure, then waits for the next tick', async () => {
    const runs: JobRun[] = [];
    const { log, entries } = recordingLog();
    const jobs = new InProcessJobs(
      [
        {
          name: 'flaky',
          everyMs: 60_000,
          run: async (run) => {
            runs.push(run);
            throw new Error(`boom ${run.attempt}`);
          },
        },
      ],
      { log, retry: { attempts: 3, backoffMs: 5 } },
    );
    await jobs.start();
    await vi.waitFor(() => expect(entries.some((e) => e.level === 'error')).toBe(true), eventually);
    expect(runs.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(new Set(runs.map((r) => r.tick)).size).toBe(1);
    const failures = entries.filter((e) => e.level === 'warn' || e.level === 'error');
    expect(failures.map((e) => [e.level, e.details.attempt, e.details.retryInMs])).toEqual([
      ['warn', 1, 5],
      ['warn', 2, 10],
      ['error', 3, undefined],
    ]);
    expect(failures[2]?.details.err).toEqual(new Error('boom 3'));
    expect(jobs.running).toEqual([]);
    await jobs.stop();
  });

  it('stop() cuts a retry backoff short', async () => {
    let attempts = 0;
    const jobs = new InProcessJobs(
      [
        {
          name: 'failing',
          everyMs: 60_000,
          run: async () => {
            attempts += 1;
            throw new Error('down');
          },
        },
      ],
      { retry: { attempts: 5, backoffMs: 60_000 } },
    );
    await jobs.start();
    await vi.waitFor(() => expect(attempts).toBe(1), eventually);
    await jobs.stop(); // would hang for a minute if the backoff were waited out
    expect(attempts).toBe(1);
  });
});

const redisUrl = process.env.REDIS_URL;
if (redisUrl) {
  describe('BullMQ jobs on Redis', () => {
    const prefix = () => `test:${randomBytes(4).toString('hex')}:`;
    const cleanUp = (keyPrefix: string) => removeJobQueue({ redisUrl, keyPrefix });

    it('runs each tick once across two processes sharing Redis', async () => {
      const keyPrefix = prefix();
      const runs: { instance: string; tick: string }[] = [];
      const make = (instance: string) =>
        new BullMqJobs(
          [
            {
              name: 'tick',
              everyMs: 200,
              run: async ({ tick }) => void runs.push({ instance, tick }),
            },
          ],
          { redisUrl, keyPrefix },
        );
      const a = make('a');
      const b = make('b');
      await Promise.all([a.start(), b.start()]);
      await vi.waitFor(() => expect(runs.length).toBeGreaterThanOrEqual(5), eventually);
      await Promise.all([a.stop(), b.stop()]);
      const ticks = runs.map((r) => r.tick);
      expect(new Set(ticks).size).toBe(ticks.length);
      await cleanUp(keyPrefix);
    });

    it('retries a failed tick with backoff and logs the failure', async () => {
      const keyPrefix = prefix();
      const runs: JobRun[] = [];
      const { log, entries } = recordingLog();
      const jobs = new BullMqJobs(
        [
          {
            name: 'flaky',
            everyMs: 60_000,
            run: async (run) => {
              runs.push(run);
              if (run.attempt < 2) throw new Error('first try fails');
              return { ok: true };
            },
          },
        ],
        { redisUrl, keyPrefix, log, retry: { attempts: 3, backoffMs: 20 } },
      );
      await jobs.start();
      await vi.waitFor(() => expect(runs).toHaveLength(2), eventually);
      await jobs.stop();
      expect(runs.map((r) => r.attempt)).toEqual([1, 2]);
      expect(runs[1]?.tick).toBe(runs[0]?.tick);
      expect(entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
        'job failed; will retry',
      ]);
      await cleanUp(keyPrefix);
    });

    it('stop() waits for the run in progress', async () => {
      const keyPrefix = prefix();
      const gate = deferred();
      let finished = false;
      let started = false;
      const jobs = new BullMqJobs(
        [
          {
            name: 'long',
            everyMs: 60_000,
            run: async () => {
              started = true;
              await gate.promise;
              finished = true;
            },
          },
        ],
        { redisUrl, keyPrefix },
      );
      await jobs.start();
      await vi.waitFor(() => expect(started).toBe(true), eventually);
      const stopping = jobs.stop();
      setTimeout(() => gate.resolve(), 50);
      await stopping;
      expect(finished).toBe(true);
      await cleanUp(keyPrefix);
    });
  });
}
