export { boundedMemo, type BoundedMemo } from './bounded-memo.ts';
