// Rebuilds models/nsfw-mobilenet-v2-mid.{json,bin} from the npm package nsfwjs (MIT), whose
// MobileNetV2Mid graph model ships as browserify bundles (the topology as an object, each weight
// shard as a base64 string). Run once by hand when updating the model:
//   npm pack nsfwjs@4.4.0 && tar xzf nsfwjs-4.4.0.tgz && node models/vendor-nsfwjs.cjs ./package
// The result is the plain TensorFlow.js graph-model layout that src/vision/tf.ts reads.
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(process.argv[2] ?? 'package');
const dir = path.join(pkg, 'dist/models/mobilenet_v2_mid');
const model = require(path.join(dir, 'model.min.js'));
const chunks = [];
for (const group of model.weightsManifest) {
  for (const shard of group.paths) chunks.push(Buffer.from(require(path.join(dir, `${shard}.min.js`)), 'base64'));
  group.paths = ['nsfw-mobilenet-v2-mid.bin'];
}
if (model.weightsManifest.length !== 1) throw new Error('expected one weight group');
const out = path.dirname(__filename);
fs.writeFileSync(path.join(out, 'nsfw-mobilenet-v2-mid.bin'), Buffer.concat(chunks));
fs.writeFileSync(path.join(out, 'nsfw-mobilenet-v2-mid.json'), JSON.stringify(model));
fs.copyFileSync(path.join(pkg, 'LICENSE'), path.join(out, 'LICENSE-nsfwjs'));
