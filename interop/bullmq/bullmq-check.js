'use strict';
// Runs BullMQ against a Redis-compatible server and checks what a BullMQ user relies on: a
// Queue, a Worker with concurrency > 1 (results, failures, retries with backoff), QueueEvents
// (completed, failed and progress events, read from a stream with XREAD BLOCK), delayed jobs,
// a job scheduler (repeatable every N ms), job counts, getJob, drain and obliterate.
// Usage: node bullmq-check.js [host] [port]. Exits 0 when every check held, 1 otherwise; prints
// one line per check. BullMQ's delays use real time, so they are kept small and every wait is
// for a condition with a bound.
const { Queue, Worker, QueueEvents } = require('bullmq');
const Redis = require('ioredis');

const host = process.argv[2] || '127.0.0.1';
const port = Number(process.argv[3] || 6379);
const connection = { host, port, maxRetriesPerRequest: null };
const queueName = `sluice-interop-${process.pid}`;
const WAIT_MS = 10000;

let checks = 0;
function check(what, condition, detail) {
  if (!condition) {
    throw new Error(`check failed: ${what}${detail === undefined ? '' : ` (${detail})`}`);
  }
  checks++;
  console.log(`ok ${checks} - ${what}`);
}

async function waitFor(what, condition, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function pause(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main() {
  const queue = new Queue(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  const seen = { completed: new Map(), failed: new Map(), progress: new Map() };
  events.on('completed', ({ jobId, returnvalue }) => seen.completed.set(jobId, returnvalue));
  events.on('failed', ({ jobId, failedReason }) => seen.failed.set(jobId, failedReason));
  events.on('progress', ({ jobId, data }) => seen.progress.set(jobId, data));
  await queue.waitUntilReady();
  await events.waitUntilReady();

  const version = await queue.getVersion();
  check('Queue connects and reads the server version', typeof version === 'string', version);

  // Jobs added before any worker runs wait; counts and getJob see them as added.
  const squares = [];
  for (let n = 1; n <= 6; n++) {
    squares.push(await queue.add('square', { n }, { removeOnComplete: false }));
  }
  const counts = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  check('getJobCounts counts 6 waiting jobs', counts.waiting === 6, JSON.stringify(counts));
  const fetched = await queue.getJob(squares[2].id);
  check(
    'getJob returns the job with its name and data',
    fetched && fetched.name === 'square' && fetched.data.n === 3,
    JSON.stringify(fetched && fetched.asJSON())
  );

  let active = 0;
  let maxActive = 0;
  const attempts = new Map();
  const worker = new Worker(
    queueName,
    async (job) => {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        attempts.set(job.id, (attempts.get(job.id) || 0) + 1);
        switch (job.name) {
          case 'square':
            await job.updateProgress({ half: job.data.n });
            await pause(50); // long enough that several jobs are active together
            return job.data.n * job.data.n;
          case 'flaky':
            if (job.attemptsMade < 2) throw new Error(`flaky attempt ${job.attemptsMade + 1}`);
            return 'recovered';
          case 'doomed':
            throw new Error('doomed to fail');
          case 'delayed':
            return Date.now();
          case 'tick':
            return job.data.tick;
          default:
            throw new Error(`unexpected job name ${job.name}`);
        }
      } finally {
        active--;
      }
    },
    { connection, concurrency: 4 }
  );
  await worker.waitUntilReady();

  await waitFor('6 completed square jobs', async () => (await queue.getCompletedCount()) === 6);
  check('Worker ran jobs concurrently', maxActive > 1, `max active ${maxActive}`);
  for (const job of squares) {
    const done = await queue.getJob(job.id);
    check(
      `job ${job.id} completed with its result`,
      done.returnvalue === job.data.n * job.data.n && done.finishedOn > 0,
      JSON.stringify(done.asJSON())
    );
  }
  await waitFor('completed events of the squares', () =>
    squares.every((job) => seen.completed.has(job.id))
  );
  check(
    'QueueEvents received completed with return values',
    squares.every((job) => Number(seen.completed.get(job.id)) === job.data.n * job.data.n),
    JSON.stringify([...seen.completed])
  );
  await waitFor('progress events of the squares', () =>
    squares.every((job) => seen.progress.has(job.id))
  );
  check(
    'QueueEvents received progress',
    squares.every((job) => seen.progress.get(job.id).half === job.data.n),
    JSON.stringify([...seen.progress])
  );

  // Retries with backoff: a job failing twice succeeds on its third attempt; one failing
  // every attempt ends up failed.
  const flaky = await queue.add('flaky', {}, { attempts: 3, backoff: { type: 'fixed', delay: 50 } });
  const doomed = await queue.add(
    'doomed',
    {},
    { attempts: 2, backoff: { type: 'exponential', delay: 20 } }
  );
  await waitFor('the flaky job to complete', async () => (await flaky.isCompleted()) === true);
  const flakyDone = await queue.getJob(flaky.id);
  check(
    'a job failing twice succeeds on its third attempt',
    flakyDone.returnvalue === 'recovered' && flakyDone.attemptsMade === 3 &&
      attempts.get(flaky.id) === 3,
    JSON.stringify(flakyDone.asJSON())
  );
  await waitFor('the doomed job to fail', async () => (await doomed.isFailed()) === true);
  const doomedDone = await queue.getJob(doomed.id);
  check(
    'a job failing every attempt ends failed with its reason',
    doomedDone.failedReason === 'doomed to fail' && doomedDone.attemptsMade === 2 &&
      attempts.get(doomed.id) === 2,
    JSON.stringify(doomedDone.asJSON())
  );
  await waitFor('the failed event of the doomed job', () => seen.failed.has(doomed.id));
  check(
    'QueueEvents received failed with the reason',
    seen.failed.get(doomed.id) === 'doomed to fail',
    seen.failed.get(doomed.id)
  );
  check('getFailedCount counts the doomed job', (await queue.getFailedCount()) === 1);

  // A delayed job waits in the delayed set, then runs no earlier than its delay.
  const delayMs = 300;
  const delayedAt = Date.now();
  const delayed = await queue.add('delayed', {}, { delay: delayMs });
  check('a delayed job is in the delayed state', (await delayed.getState()) === 'delayed');
  check('getDelayedCount counts it', (await queue.getDelayedCount()) === 1);
  await waitFor('the delayed job to complete', async () => (await delayed.isCompleted()) === true);
  const delayedDone = await queue.getJob(delayed.id);
  check(
    'the delayed job ran after its delay',
    delayedDone.returnvalue - delayedAt >= delayMs - 20,
    `ran ${delayedDone.returnvalue - delayedAt} ms after add, delay ${delayMs} ms`
  );

  // A job scheduler makes a job every N ms until removed.
  const everyMs = 150;
  const ticksBefore = (await queue.getCompleted(0, -1)).filter((j) => j.name === 'tick').length;
  await queue.upsertJobScheduler('ticker', { every: everyMs }, { name: 'tick', data: { tick: 1 } });
  const schedulers = await queue.getJobSchedulers();
  check(
    'getJobSchedulers lists the scheduler',
    schedulers.length === 1 && schedulers[0].key === 'ticker' && schedulers[0].every === everyMs,
    JSON.stringify(schedulers)
  );
  await waitFor('3 repeated jobs to complete', async () => {
    const ticks = (await queue.getCompleted(0, -1)).filter((j) => j.name === 'tick');
    return ticks.length - ticksBefore >= 3;
  });
  check('the scheduler repeated its job', true);
  check('removeJobScheduler removes it', (await queue.removeJobScheduler('ticker')) === true);
  check('no schedulers remain', (await queue.getJobSchedulersCount()) === 0);

  // drain removes waiting and delayed jobs; obliterate removes the whole queue.
  await worker.close();
  await queue.add('square', { n: 7 });
  await queue.add('square', { n: 8 }, { delay: 60000 });
  const beforeDrain = await queue.getJobCounts('waiting', 'delayed');
  check(
    'without a worker, added jobs stay waiting and delayed',
    beforeDrain.waiting >= 1 && beforeDrain.delayed >= 1,
    JSON.stringify(beforeDrain)
  );
  await queue.drain(true);
  const afterDrain = await queue.getJobCounts('waiting', 'delayed');
  check(
    'drain(true) removes waiting and delayed jobs',
    afterDrain.waiting === 0 && afterDrain.delayed === 0,
    JSON.stringify(afterDrain)
  );
  await queue.obliterate({ force: true });
  await events.close();
  await queue.close();
  const client = new Redis(connection);
  const left = await client.keys(`bull:${queueName}:*`);
  await client.quit();
  check('obliterate removes every key of the queue', left.length === 0, left.join(' '));

  console.log(`all ${checks} checks passed against ${host}:${port}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`FAILED: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
);
