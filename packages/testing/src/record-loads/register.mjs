// `node --import <this file>`: appends the URL of every module the process loads to $PUZZLE_RECORD_LOADS.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, { data: { file: process.env.PUZZLE_RECORD_LOADS } });
