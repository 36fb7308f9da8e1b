'use strict';
// Runs BullMQ against a Redis-compatible server and checks what a BullMQ user relies on: a
// Queue, a Worker with concurrency > 1 (results, failures, retries with backoff), QueueEvents
// (completed, failed, progress, stalled and custom events, read from a stream with XREAD BLOCK),
// delayed jobs, a job scheduler (repeatable every N ms), job counts, getJob, drain and obliterate;
// then priorities, pause and resume, workers listed through CLIENT LIST, job logs, flows, manual
// retry and promote, rate limits, metrics, clean, deduplication, and a stalled job whose lock
// lapses. Each group runs on a queue of its own.
// Usage: node bullmq-check.js [host] [port]. Exits 0 when every check held, 1 otherwise; prints
// one line per check. BullMQ's delays use real time, so they are kept small and every wait is
// for a condition with a bound.
const { Queue, Worker, QueueEvents, FlowProducer, QueueEventsProducer } = require('bullmq');
const Redis = require('ioredis');

const host = process.argv[2] || '127.0.0.1';
const port = Number(process.argv[3] || 6379);
const connection = { host, port, maxRetriesPerRequest: null };
const queueName = `sluice-interop-${process.pid}`;
const WAIT_MS = 10000;

// BullMQ warns on the console about what it finds wrong with the server (an eviction policy
// other than noeviction, an old version); any warning is a failed check.
const warnings = [];
const warn = console.warn;
console.warn = (...args) => {
  warnings.push(args.join(' '));
  warn(...args);
};

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

// Obliterates and closes the queue, then checks that no key of it is left. obliterate keeps the
// rate limiter's counter, which lapses after the limiter's duration (PX, real time).
async function obliterate(queue) {
  await queue.obliterate({ force: true });
  await queue.close();
  const client = new Redis(connection);
  const limiter = `bull:${queue.name}:limiter`;
  try {
    const left = await client.keys(`bull:${queue.name}:*`);
    check(
      `obliterate removes the keys of queue ${queue.name} but its limiter counter`,
      left.every((key) => key === limiter),
      left.join(' ')
    );
    await waitFor(
      'the limiter counter to expire',
      async () => (await client.exists(limiter)) === 0
    );
    check(
      `no key of queue ${queue.name} is left`,
      (await client.keys(`bull:${queue.name}:*`)).length === 0
    );
  } finally {
    await client.quit();
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
  const flaky = await queue.add(
    'flaky',
    {},
    { attempts: 3, backoff: { type: 'fixed', delay: 50 } }
  );
  const doomed = await queue.add(
    'doomed',
    {},
    { attempts: 2, backoff: { type: 'exponential', delay: 20 } }
  );
  await waitFor('the flaky job to complete', async () => (await flaky.isCompleted()) === true);
  const flakyDone = await queue.getJob(flaky.id);
  check(
    'a job failing twice succeeds on its third attempt',
    flakyDone.returnvalue === 'recovered' &&
      flakyDone.attemptsMade === 3 &&
      attempts.get(flaky.id) === 3,
    JSON.stringify(flakyDone.asJSON())
  );
  await waitFor('the doomed job to fail', async () => (await doomed.isFailed()) === true);
  const doomedDone = await queue.getJob(doomed.id);
  check(
    'a job failing every attempt ends failed with its reason',
    doomedDone.failedReason === 'doomed to fail' &&
      doomedDone.attemptsMade === 2 &&
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
  await events.close();
  await obliterate(queue);

  await moreFeatures(`${queueName}-more`);
  await stalledJob(`${queueName}-stall`);
  await jobDetails(`${queueName}-details`);
  check('BullMQ printed no warnings', warnings.length === 0, warnings.join(' | '));
  console.log(`all ${checks} checks passed against ${host}:${port}`);
}

// Features past the basics, on a queue of their own: priorities, pause and resume, workers seen
// through CLIENT LIST, job logs, trimmed event streams, a flow of parent and children, retrying
// and promoting jobs, rate limiting, metrics and cleaning.
async function moreFeatures(name) {
  const queue = new Queue(name, { connection, streams: { events: { maxLen: 50 } } });
  const events = new QueueEvents(name, { connection });
  await queue.waitUntilReady();
  await events.waitUntilReady();

  // Priorities: with one worker slot, lower priority numbers run first.
  const order = [];
  for (const [label, priority] of [
    ['low', 10],
    ['high', 1],
    ['mid', 5],
  ]) {
    await queue.add('prio', { label }, { priority });
  }
  const byPriority = await queue.getCountsPerPriority([1, 5, 10]);
  check(
    'getCountsPerPriority counts one job per priority',
    byPriority['1'] === 1 && byPriority['5'] === 1 && byPriority['10'] === 1,
    JSON.stringify(byPriority)
  );
  const worker = new Worker(
    name,
    async (job) => {
      switch (job.name) {
        case 'prio':
          order.push(job.data.label);
          return job.data.label;
        case 'logged':
          await job.log('first line');
          await job.log('second line');
          return 'logged';
        case 'child':
          return job.data.value;
        case 'parent': {
          const values = await job.getChildrenValues();
          return Object.values(values).reduce((a, b) => a + b, 0);
        }
        case 'retryable':
          if (job.attemptsStarted < 2) throw new Error('first run fails');
          return 'second run';
        case 'limited':
          return Date.now();
        default:
          throw new Error(`unexpected job name ${job.name}`);
      }
    },
    { connection, concurrency: 1, name: 'sluice-check-worker', metrics: { maxDataPoints: 10 } }
  );
  await worker.waitUntilReady();
  await waitFor('3 prioritised jobs', () => order.length === 3);
  check('jobs run in priority order', order.join(',') === 'high,mid,low', order.join(','));

  // Workers are listed from CLIENT LIST by the names BullMQ gives their connections.
  await waitFor('the worker in getWorkers', async () => (await queue.getWorkersCount()) >= 1);
  const workers = await queue.getWorkers();
  check(
    'getWorkers lists the named worker',
    workers.some((w) => w.name === name && /^bull:.*:w:sluice-check-worker$/.test(w.rawname)),
    JSON.stringify(workers)
  );

  // Pause and resume: a paused queue keeps new jobs waiting.
  await queue.pause();
  check('isPaused after pause', (await queue.isPaused()) === true);
  const logged = await queue.add('logged', {});
  const paused = await queue.getJobCounts('paused', 'wait');
  check(
    'a job added to a paused queue waits',
    paused.paused + paused.wait === 1 && (await logged.getState()) === 'waiting',
    JSON.stringify(paused)
  );
  await queue.resume();
  check('isPaused false after resume', (await queue.isPaused()) === false);
  await logged.waitUntilFinished(events, WAIT_MS);
  const logs = await queue.getJobLogs(logged.id);
  check(
    'getJobLogs returns the lines a job logged',
    logs.count === 2 && logs.logs.join('|') === 'first line|second line',
    JSON.stringify(logs)
  );

  // A flow: the parent runs after its children and sees their results.
  const flow = new FlowProducer({ connection });
  const tree = await flow.add({
    name: 'parent',
    queueName: name,
    children: [1, 2, 3].map((value) => ({ name: 'child', queueName: name, data: { value } })),
  });
  const parentResult = await tree.job.waitUntilFinished(events, WAIT_MS);
  check('a flow parent sums its children', parentResult === 6, String(parentResult));
  const deps = await tree.job.getDependenciesCount();
  check('the parent has 3 processed children', deps.processed === 3, JSON.stringify(deps));
  await flow.close();

  // A failed job retried by hand runs again; a delayed job promoted runs at once.
  const retryable = await queue.add('retryable', {});
  await waitFor('the retryable job to fail', async () => (await retryable.isFailed()) === true);
  await (await queue.getJob(retryable.id)).retry('failed');
  await waitFor(
    'the retried job to complete',
    async () => (await retryable.isCompleted()) === true
  );
  check(
    'a retried failed job completes',
    (await queue.getJob(retryable.id)).returnvalue === 'second run'
  );
  const promoted = await queue.add('prio', { label: 'promoted' }, { delay: 60000 });
  await promoted.promote();
  await waitFor(
    'the promoted job to complete',
    async () => (await promoted.isCompleted()) === true
  );
  check('a promoted delayed job runs without its delay', true);

  // The events stream is capped near maxLen (XADD MAXLEN ~, XTRIM MAXLEN ~): approximate trims
  // cut whole stream nodes of up to 100 entries (stream-node-max-entries), so the bound is loose.
  const trimmed = await queue.trimEvents(5);
  const client = new Redis(connection);
  const eventsLen = await client.xlen(`bull:${name}:events`);
  check(
    'trimEvents keeps the events stream bounded',
    typeof trimmed === 'number' && eventsLen <= 50 + 100,
    `trimmed ${trimmed}, length ${eventsLen}`
  );

  // Metrics count completed jobs per minute.
  const metrics = await queue.getMetrics('completed');
  check('getMetrics counts completed jobs', metrics.meta.count >= 8, JSON.stringify(metrics.meta));

  // clean removes finished jobs older than the grace period.
  const cleaned = await queue.clean(0, 100, 'completed');
  check('clean removes completed jobs', cleaned.length >= 8, `cleaned ${cleaned.length}`);
  check('no completed jobs remain', (await queue.getCompletedCount()) === 0);
  await worker.close();

  // A rate-limited worker runs at most max jobs per duration.
  const limited = new Worker(name, async () => Date.now(), {
    connection,
    concurrency: 4,
    limiter: { max: 2, duration: 300 },
  });
  const limitedJobs = [];
  for (let i = 0; i < 4; i++) limitedJobs.push(await queue.add('limited', {}));
  await waitFor('4 rate-limited jobs', async () => (await queue.getCompletedCount()) === 4);
  const times = [];
  for (const job of limitedJobs) times.push((await queue.getJob(job.id)).returnvalue);
  times.sort((a, b) => a - b);
  check(
    'the rate limiter spreads 4 jobs over 2 windows',
    times[3] - times[0] >= 250,
    `finish times ${times.map((t) => t - times[0]).join(',')} ms`
  );
  await limited.close();

  await client.quit();
  await events.close();
  await obliterate(queue);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`FAILED: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
);

// A job whose worker dies loses its lock (SET PX, lapsing in real time) and is taken up again by
// another worker's stalled-job check. A queue of its own: that check runs at most once per
// stalledInterval per queue (a stalled-check key with PX), and the other queues' workers set it
// with the default 30 s.
async function stalledJob(name) {
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  const stalled = new Set();
  events.on('stalled', ({ jobId }) => stalled.add(jobId));
  await queue.waitUntilReady();
  await events.waitUntilReady();
  // A job running past its lock duration keeps its lock while its worker lives: the worker
  // extends it (a script over PEXPIRE) before it lapses.
  const steady = new Worker(
    name,
    async () => {
      await pause(900); // the job's work, three lock durations long
      return 'steady';
    },
    { connection, stalledInterval: 300, lockDuration: 300 }
  );
  const long = await queue.add('long', {});
  await waitFor('the long job to complete', async () => (await long.isCompleted()) === true);
  const longDone = await queue.getJob(long.id);
  check(
    'a job longer than its lock duration completes without stalling',
    longDone.returnvalue === 'steady' && longDone.stalledCounter === 0 && !stalled.has(long.id),
    JSON.stringify(longDone.asJSON())
  );
  await steady.close();

  // A job whose worker dies loses its lock (PX, real time) and is taken up again as stalled.
  let release;
  const hanging = new Promise((resolve) => (release = resolve));
  const dying = new Worker(name, () => hanging, {
    connection,
    stalledInterval: 300,
    lockDuration: 500,
  });
  const victim = await queue.add('stalls', {}, { attempts: 1 });
  await waitFor('the job to be active', async () => (await victim.isActive()) === true);
  await dying.close(true);
  const rescuer = new Worker(name, async () => 'rescued', {
    connection,
    stalledInterval: 300,
    lockDuration: 500,
  });
  await waitFor('the stalled job to complete', async () => (await victim.isCompleted()) === true);
  check(
    'a stalled job is completed by another worker',
    (await queue.getJob(victim.id)).returnvalue === 'rescued'
  );
  await waitFor('the stalled event', () => stalled.has(victim.id));
  check('QueueEvents received stalled', true);
  release();
  await rescuer.close();

  await events.close();
  await obliterate(queue);
}

// Operations on single jobs and their bookkeeping, first with no worker running: deduplication,
// data and priority changes, removal, a flow's pending and processed children (SSCAN, HSCAN),
// getJobs over states, custom events, a queue-wide rate limit, and kept counts of finished jobs
// and log lines.
async function jobDetails(name) {
  const queue = new Queue(name, { connection });
  const events = new QueueEvents(name, { connection });
  const custom = [];
  events.on('custom-event', (args) => custom.push(args));
  await queue.waitUntilReady();
  await events.waitUntilReady();

  const first = await queue.add('dedup', { n: 1 }, { deduplication: { id: 'same' } });
  const second = await queue.add('dedup', { n: 2 }, { deduplication: { id: 'same' } });
  check(
    'a deduplicated add returns the first job',
    second.id === first.id,
    `${first.id} ${second.id}`
  );
  check(
    'getDeduplicationJobId names the first job',
    (await queue.getDeduplicationJobId('same')) === first.id
  );

  await first.updateData({ n: 10 });
  check('updateData replaces the data', (await queue.getJob(first.id)).data.n === 10);
  const prioritised = await queue.add('dedup', { n: 3 }, { priority: 3 });
  await prioritised.changePriority({ priority: 7 });
  check('changePriority moves the job', (await queue.getJob(prioritised.id)).priority === 7);
  const doomed = await queue.add('dedup', { n: 4 });
  await doomed.remove();
  check('a removed job is gone', (await queue.getJob(doomed.id)) === undefined);
  const later = await queue.add('dedup', { n: 5 }, { delay: 60000 });
  const listed = await queue.getJobs(['waiting', 'prioritized', 'delayed'], 0, -1, true);
  check(
    'getJobs lists waiting, prioritised and delayed jobs',
    [first.id, prioritised.id, later.id].every((id) => listed.some((job) => job.id === id)) &&
      listed.length === 3,
    listed.map((job) => job.id).join(',')
  );
  await queue.drain(true);

  const flow = new FlowProducer({ connection });
  const children = [1, 2, 3, 4, 5].map((value) => ({
    name: 'child',
    queueName: name,
    data: { value },
  }));
  const tree = await flow.add({ name: 'parent', queueName: name, children });
  const pending = await tree.job.getDependencies({ unprocessed: { cursor: 0, count: 2 } });
  const allPending = [];
  let cursor = 0;
  do {
    const page = await tree.job.getDependencies({ unprocessed: { cursor, count: 2 } });
    allPending.push(...page.unprocessed);
    cursor = page.nextUnprocessedCursor;
  } while (cursor !== 0 && cursor !== undefined);
  check(
    'getDependencies pages through 5 pending children',
    new Set(allPending).size === 5 && Array.isArray(pending.unprocessed),
    JSON.stringify(allPending)
  );

  const producer = new QueueEventsProducer(name, { connection });
  await producer.publishEvent({ eventName: 'custom-event', detail: 'hello' });
  await waitFor('the custom event', () => custom.length === 1);
  check(
    'QueueEvents receives a published custom event',
    custom[0].detail === 'hello',
    JSON.stringify(custom)
  );
  await producer.close();

  await queue.rateLimit(400);
  const ttl = await queue.getRateLimitTtl();
  check('getRateLimitTtl reports the rate limit', ttl > 0 && ttl <= 400, String(ttl));

  const worker = new Worker(
    name,
    async (job) => {
      if (job.name === 'parent') {
        const values = await job.getChildrenValues();
        return Object.keys(values).length;
      }
      for (let i = 0; i < 5; i++) await job.log(`line ${i}`);
      return job.data.value;
    },
    { connection, concurrency: 2, removeOnComplete: { count: 3 } }
  );
  const parentResult = await tree.job.waitUntilFinished(events, WAIT_MS);
  check(
    'the rate-limited flow runs once the limit lapses',
    parentResult === 5,
    String(parentResult)
  );
  const processed = await tree.job.getDependencies({ processed: { cursor: 0, count: 10 } });
  check(
    'getDependencies lists 5 processed children',
    Object.keys(processed.processed).length === 5,
    JSON.stringify(processed)
  );
  check('removeOnComplete keeps the last 3 completed jobs', (await queue.getCompletedCount()) <= 3);
  const logged = await queue.add('child', { value: 9 }, { keepLogs: 2 });
  await logged.waitUntilFinished(events, WAIT_MS);
  const logs = await queue.getJobLogs(logged.id);
  check(
    'keepLogs keeps the last 2 log lines',
    logs.logs.join('|') === 'line 3|line 4',
    JSON.stringify(logs)
  );
  await worker.close();
  await flow.close();
  await events.close();
  await obliterate(queue);
}
