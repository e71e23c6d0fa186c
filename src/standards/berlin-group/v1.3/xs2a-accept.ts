import { AppError } from '../../../platform/errors/index.ts';
import { Xs2aErrors } from './xs2a-errors.ts';

/** The quality `accept` gives `mediaType`: that of its most specific matching range (RFC 9110 §12.5.1). */
function qualityOf(accept: string, mediaType: string): number {
  const [type] = mediaType.split('/');
  let best = { specificity: -1, quality: 0 };
  for (const range of accept.split(',').slice(0, 32)) {
    const [name = '', ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const specificity = name === mediaType ? 2 : name === `${type}/*` ? 1 : name === '*/*' ? 0 : -1;
    if (specificity <= best.specificity) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    best = { specificity, quality: Number.isFinite(quality) ? Math.min(Math.max(quality, 0), 1) : 0 };
  }
  return best.quality;
}

/**
 * The first of `offered` (media types, the bank's preference first) that the request's `Accept`
 * rates highest; without `Accept`, the first. None acceptable is `406 REQUESTED_FORMATS_INVALID`
 * (NextGenPSD2: the TPP names the formats it takes, "with a prioritisation following the HTTP
 * header definition").
 */
export function acceptedMediaType<T extends string>(accept: string | string[] | undefined, offered: readonly [T, ...T[]]): T {
  if (typeof accept !== 'string' || accept.trim() === '') return offered[0];
  let chosen: { mediaType: T; quality: number } | undefined;
  for (const mediaType of offered) {
    const quality = qualityOf(accept, mediaType);
    if (quality > 0 && (!chosen || quality > chosen.quality)) chosen = { mediaType, quality };
  }
  if (!chosen) throw new AppError(Xs2aErrors.REQUESTED_FORMATS_INVALID, { message: `The resource is available as ${offered.join(' or ')}` });
  return chosen.mediaType;
}
