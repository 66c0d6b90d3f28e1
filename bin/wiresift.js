#!/usr/bin/env node
import { runAsProcess } from '../dist/src/cli.js';

runAsProcess(process.argv.slice(2));
