import { parentPort, workerData } from 'node:worker_threads';
import { measureSignatureRates, type SignatureRateInput } from './signature-rates.js';

parentPort?.postMessage(measureSignatureRates(workerData as SignatureRateInput));
