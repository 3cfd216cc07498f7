/** The engine registry (ids, versions, lazy creation) and the test engine the service tests rely on. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_IDS, createEngine, engineInfo } from '../../src/engine/registry.ts';
import { CLASSIC_ENGINE_VERSION } from '../../src/engine/classic/version.ts';
import { PROMPT_ENGINE_VERSION } from '../../src/engine/prompt/version.ts';
import { colourStats, createTestEngine, promptColour, testEngineRect } from '../../src/engine/test/index.ts';
import { EngineInputError } from '../../src/engine/types.ts';
import type { PromptRequest } from '../../src/engine/types.ts';
import { checkerImage, flatImage, gradientImage, pixel } from './images.ts';

describe('engine registry', () => {
  it('lists the classic and test engines with their versions', () => {
    assert.deepEqual([...ENGINE_IDS].sort(), ['classic', 'test']);
    // API 2 renders through the classic engine: a change of either changes the classic entry's output.
    assert.deepEqual(engineInfo('classic'), { id: 'classic', version: `${CLASSIC_ENGINE_VERSION}+prompt.${PROMPT_ENGINE_VERSION}` });
    assert.deepEqual(engineInfo('test'), { id: 'test', version: '1' });
  });

  it('throws on an unknown id, including inherited object keys', async () => {
    assert.throws(() => engineInfo('gpu'), /unknown engine "gpu": expected one of classic, test/);
    assert.throws(() => engineInfo('toString'), /unknown engine/);
    await assert.rejects(createEngine('gpu'), /unknown engine/);
  });

  it('creates the test engine', async () => {
    const engine = await createEngine('test');
    assert.equal(engine.id, 'test');
    assert.equal(engine.version, '1');
    await engine.init();
  });
});

describe('test engine', () => {
  const engine = createTestEngine();
  const model = gradientImage(90, 120);

  it('paints the middle third, rows 30%..70%, with the garment mean colour and masks exactly that', async () => {
    const garment = checkerImage(40, 50, [10, 200, 30], [30, 100, 90]); // mean (20, 150, 60)
    const result = await engine.tryOn({ model, garment, category: 'upper_body' });
    assert.deepEqual(testEngineRect(90, 120), { x0: 30, x1: 60, y0: 36, y1: 84 });
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 90; x++) {
        const inside = x >= 30 && x < 60 && y >= 36 && y < 84;
        assert.deepEqual(pixel(result.image, x, y), inside ? [20, 150, 60] : pixel(model, x, y), `pixel ${x},${y}`);
        assert.equal(result.repaintMask.data[y * 90 + x], inside ? 255 : 0, `mask ${x},${y}`);
      }
    }
    assert.equal(result.image.channels, 3);
    assert.equal(result.repaintMask.width, 90);
    assert.ok(result.timings.paint >= 0);
  });

  it('refuses a flat-colour garment with EngineInputError', async () => {
    const request = { model, garment: flatImage(30, 30, [240, 240, 240]), category: 'lower_body' as const };
    await assert.rejects(engine.tryOn(request), (error: unknown) => {
      assert.ok(error instanceof EngineInputError);
      assert.equal(error.message, 'garment image is blank: no garment found');
      return true;
    });
    // Slight noise (std just under 2) still counts as blank; a std of 2 or more does not.
    assert.ok(colourStats(checkerImage(10, 10, [100, 100, 100], [103, 103, 103])).std.every((s) => s < 2));
    await assert.rejects(engine.tryOn({ ...request, garment: checkerImage(10, 10, [100, 100, 100], [103, 103, 103]) }));
    await engine.tryOn({ ...request, garment: checkerImage(10, 10, [100, 100, 100], [104, 100, 100]) });
  });

  it('API 2: the colour is a deterministic function of prompt, seed, guidance and steps', async () => {
    const base: PromptRequest = { model, prompt: 'make the shirt green', seed: 42, guidanceScale: 7.5, steps: 20 };
    const a = await engine.editByPrompt!(base);
    const again = await engine.editByPrompt!({ ...base });
    assert.deepEqual(a.image.data, again.image.data);
    assert.deepEqual(pixel(a.image, 45, 60), promptColour(base));
    assert.deepEqual(pixel(a.image, 0, 0), pixel(model, 0, 0));
    const variants = [{ prompt: 'make the shirt blue' }, { seed: 43 }, { guidanceScale: 8 }, { steps: 21 }];
    for (const change of variants) {
      assert.notDeepEqual(promptColour({ ...base, ...change }), promptColour(base), JSON.stringify(change));
    }
  });
});
