// A test reporter that prints nothing until the run ends, then lists every failed test with its file
// and error, so the end of a long run's output says what failed without searching the whole log.
import { inspect } from 'node:util';

export default async function* failuresReporter(source) {
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:fail') continue;
    const error = event.data.details?.error;
    // A suite fails when a test inside it fails; the test itself is what the list names.
    if (error?.failureType === 'subtestsFailed') continue;
    failures.push({ name: event.data.name, file: event.data.file, error });
  }
  if (failures.length === 0) return;
  yield `\n# ${failures.length} failed:\n`;
  for (const { name, file, error } of failures) {
    const cause = error?.cause ?? error;
    const text = inspect(cause, { depth: 4, breakLength: 120 }).split('\n').slice(0, 25);
    yield `# ✖ ${name}\n#   ${file ?? '(unknown file)'}\n${text.map((line) => `#     ${line}`).join('\n')}\n`;
  }
}
