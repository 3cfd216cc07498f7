/**
 * Admission (src/queue/admission.ts): slots taken with `acquire()` and given back by the function
 * it returns, as a call hands its slot over once it holds an encoding place.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/domain/errors.ts';
import { Admission } from '../../src/queue/admission.ts';

describe('Admission.acquire', () => {
  it('a released slot goes to the first waiting call; releasing twice gives back one slot', async () => {
    const admission = new Admission({ slots: 1, maxWaiting: 2 });
    const release = await admission.acquire();
    const order: string[] = [];
    const second = admission.acquire().then((r) => (order.push('second'), r));
    const third = admission.acquire().then((r) => (order.push('third'), r));
    assert.deepEqual([admission.running(), admission.waiting()], [1, 2]);
    release();
    release();
    const releaseSecond = await second;
    assert.deepEqual(order, ['second']);
    assert.deepEqual([admission.running(), admission.waiting()], [1, 1]);
    releaseSecond();
    (await third)();
    assert.deepEqual(order, ['second', 'third']);
    assert.deepEqual([admission.running(), admission.waiting()], [0, 0]);
  });

  it('a slot held across a hand-over: the next call starts once the first holds a place of the second Admission', async () => {
    const slots = new Admission({ slots: 1, maxWaiting: 4 });
    const encoding = new Admission({ slots: 1, maxWaiting: 1 });
    const releaseSlot = await slots.acquire();
    const releasePlace = await encoding.acquire();
    releaseSlot();
    // The first call still encodes; the next one has the slot.
    const next = await slots.acquire();
    assert.deepEqual([slots.running(), encoding.running()], [1, 1]);
    releasePlace();
    next();
    assert.deepEqual([slots.running(), encoding.running()], [0, 0]);
  });

  it('past maxWaiting a call is refused with a retryable 503, as run() refuses it', async () => {
    const admission = new Admission({ slots: 1, maxWaiting: 0 });
    const release = await admission.acquire();
    await assert.rejects(admission.acquire(), (err: unknown) => err instanceof ApiError && err.status === 503 && err.retryable);
    await assert.rejects(admission.run(async () => 'never'), (err: unknown) => err instanceof ApiError && err.status === 503);
    release();
    assert.equal(await admission.run(async () => 'ran'), 'ran');
    assert.equal(admission.running(), 0);
  });
});
