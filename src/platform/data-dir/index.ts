export { lockDataDir, dataDirHolder, DataDirInUseError, DATA_DIR_LOCK_FILE } from './data-dir-lock.ts';
export type { DataDirHolder, DataDirLock } from './data-dir-lock.ts';
