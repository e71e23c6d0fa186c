/** OB date-times carry a timezone ("2017-04-05T10:43:07+00:00"); whole seconds unless stored finer. */
export function obDateTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z').replace(/Z$/, '+00:00');
}
