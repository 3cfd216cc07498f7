/**
 * The TypeScript client's README example, runnable:
 *   FITROOM_URL=http://127.0.0.1:3000 FITROOM_KEY=fr_... node --import tsx clients/typescript/example.ts model.jpg garment.jpg
 * Prints the ended job as JSON.
 */
import { readFileSync } from 'node:fs';
import { createFitroomClient } from './index.ts';

const [modelPath, garmentPath] = process.argv.slice(2);
const fitroom = createFitroomClient({ baseUrl: process.env.FITROOM_URL ?? 'http://127.0.0.1:3000', apiKey: process.env.FITROOM_KEY ?? '' });

const job = await fitroom.subscribe(
  fitroom.submitTryOn({
    modelImg: new Blob([readFileSync(modelPath)]),
    garmentImg: new Blob([readFileSync(garmentPath)]),
    category: 'upper_body',
  }),
);
if (job.status !== 'succeeded') throw new Error(`job ${job.jobId} ${job.status}: ${job.error?.msg}`);
const account = await fitroom.account();
console.log(JSON.stringify({ job, credits: account.credits }));
