import { dirname, relative, sep } from 'node:path';

/**
 * Links between the pages of a walk-forward: relative to the page that holds them, so they work
 * from file:// wherever the workspace is moved or copied (as a whole).
 */
export interface PageLinks {
  /** a fold's page, or null when it is not written */
  foldPage(index: number): string | null;
  /** the walk-forward's page, from a fold's */
  topPage: string | null;
}

export const NO_LINKS: PageLinks = { foldPage: () => null, topPage: null };

/** The href of file `target` from the page at `page`, both absolute paths. */
export function relativeHref(page: string, target: string): string {
  return relative(dirname(page), target).split(sep).map(encodeURIComponent).join('/');
}

/** Links of the page written at `page` to the pages given (absolute paths; null: not written). */
export function pageLinks(page: string, to: { folds?: Array<string | null>; top?: string | null }): PageLinks {
  return {
    foldPage: (k) => {
      const f = to.folds?.[k];
      return f ? relativeHref(page, f) : null;
    },
    topPage: to.top ? relativeHref(page, to.top) : null,
  };
}
